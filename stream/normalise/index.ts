/**
 * normalise(raw): the first stream stage's per-event logic. Keeps the source's own fields
 * (flattened to strings in `fields`) and fills the common fields of schema/types.ts; the
 * enrichment, stat and flag fields stay empty for the later stages. Throws NightjarError
 * (INVALID_FIELD, MALFORMED_RECORD) for a record it cannot normalise, e.g. one without a
 * usable time; the stage dead-letters it with the original bytes.
 */
import { NightjarError } from '../../core/errors.js';
import type { NightjarEvent, RawEvent } from '../../schema/types.js';
import { normaliseAuditd } from './auditd.js';
import { normaliseSyslog } from './syslog.js';
import { normaliseWindows } from './windows.js';
import { normaliseZeek } from './zeek.js';

export function normalise(raw: RawEvent): NightjarEvent {
  switch (raw.format) {
    case 'windows_flat':
    case 'windows_evtx':
      return normaliseWindows(raw);
    case 'zeek':
      return normaliseZeek(raw);
    case 'auditd':
      return normaliseAuditd(raw);
    case 'syslog':
      return normaliseSyslog(raw);
    default:
      throw new NightjarError('MALFORMED_RECORD', `no normaliser for format ${String((raw as RawEvent).format)}`);
  }
}

export { EVENT_TYPES, type EventType } from './event-types.js';
export { windowsEventTime, type WindowsTimeBasis } from './windows.js';
