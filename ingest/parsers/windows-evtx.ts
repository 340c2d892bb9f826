/**
 * Windows events converted from EVTX to JSON (evtx_dump, python-evtx and the like): the
 * XML structure kept as objects, `{"Event": {"System": {...}, "EventData": {...}}}`,
 * attributes under `#attributes` (or `@Name` style keys), element text under `#text`.
 * The parser keeps the document as it is; stream/normalise/windows-evtx-view.ts reads it.
 */
import { shortHostName } from '../host-name.js';
import { isPlainObject, type ParsedRecord } from './parsed-record.js';

export function isWindowsEvtx(obj: Record<string, unknown>): boolean {
  const ev = obj.Event;
  return isPlainObject(ev) && isPlainObject(ev.System);
}

export function parseWindowsEvtx(obj: Record<string, unknown>): ParsedRecord {
  const system = (obj.Event as { System: Record<string, unknown> }).System;
  const channel = system.Channel;
  return {
    format: 'windows_evtx',
    log_type: typeof channel === 'string' ? channel : null,
    fields: obj,
    host_hint: shortHostName(system.Computer),
  };
}
