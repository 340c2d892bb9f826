/** What a parser returns for one record; the reader adds origin, offset and raw bytes. */
import type { RawEvent } from '../../schema/types.js';

export type ParsedRecord = Pick<RawEvent, 'format' | 'log_type' | 'fields' | 'host_hint'>;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
