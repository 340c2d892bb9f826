/**
 * A dead letter on the DLQ topic: the original bytes as the value (so a replay tool can
 * feed them back unchanged), the why and where in headers. Ingest and the stream
 * workers both publish dead letters; the sink turns them back into rows.
 */
import type { DeadLetter } from '../schema/types.js';
import type { TransportRecord } from './port.js';

export function deadLetterRecord(d: DeadLetter, topic: string): TransportRecord {
  return {
    topic,
    key: d.origin,
    value: d.raw,
    headers: {
      reason: d.reason,
      stage: d.stage,
      code: d.code,
      source: d.source,
      origin: d.origin,
      origin_offset: String(d.origin_offset),
      ts: String(d.ts),
    },
  };
}
