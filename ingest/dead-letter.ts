/**
 * Dead letters made by ingest: the record could not become a RawEvent. The original
 * bytes travel with the reason so nothing is lost and an analyst can replay it.
 */
import type { ErrorCode } from '../core/errors.js';
import type { DeadLetter } from '../schema/types.js';

export function ingestDeadLetter(
  code: ErrorCode,
  reason: string,
  raw: Buffer,
  origin: string,
  originOffset: number,
  source = 'unknown',
): DeadLetter {
  return { ts: Date.now(), stage: 'ingest', code, reason, source, origin, origin_offset: originOffset, raw };
}
