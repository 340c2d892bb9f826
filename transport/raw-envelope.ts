/**
 * The value of a record on a raw topic (`nightjar.raw.<source>`): one RawEvent, with the
 * parsed fields AND the original bytes, because
 *  - the stream worker cannot always re-parse a lone line (a Zeek TSV line needs its
 *    file's `#fields` header), so the parsed fields travel with it, and
 *  - a later stage must be able to dead-letter the record with its original bytes.
 *
 * Layout (binary, so the original bytes are carried as they are, not re-escaped):
 *
 *   0x4E 0x01 | uint32 BE length n | n bytes of JSON {format, log_type, fields, origin,
 *   origin_offset, host_hint} | the original bytes, to the end of the value
 *
 * A value that does not decode is not lost: the worker dead-letters it whole.
 */
import { NightjarError } from '../core/errors.js';
import type { RawEvent, RawFormat } from '../schema/types.js';

const MAGIC = 0x4e;
const VERSION = 0x01;
const PREFIX = 6;
const FORMATS: ReadonlySet<string> = new Set<RawFormat>(['windows_flat', 'windows_evtx', 'zeek', 'auditd', 'syslog']);

/** The raw-topic source name of a format: both Windows formats share one topic. */
export function rawSourceOf(format: RawFormat): string {
  return format === 'windows_flat' || format === 'windows_evtx' ? 'windows' : format;
}

/** Every raw source, so stream workers can subscribe before ingest has created the topics. */
export const RAW_SOURCES = ['windows', 'zeek', 'auditd', 'syslog'] as const;

export function encodeRawEnvelope(event: RawEvent): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      format: event.format,
      log_type: event.log_type,
      fields: event.fields,
      origin: event.origin,
      origin_offset: event.origin_offset,
      host_hint: event.host_hint,
    }),
    'utf8',
  );
  const out = Buffer.allocUnsafe(PREFIX + header.length + event.raw.length);
  out[0] = MAGIC;
  out[1] = VERSION;
  out.writeUInt32BE(header.length, 2);
  header.copy(out, PREFIX);
  event.raw.copy(out, PREFIX + header.length);
  return out;
}

/** Throws MALFORMED_RECORD when the value is not an envelope this version understands. */
export function decodeRawEnvelope(value: Buffer): RawEvent {
  if (value.length < PREFIX || value[0] !== MAGIC || value[1] !== VERSION) {
    throw new NightjarError('MALFORMED_RECORD', 'raw topic record is not a Nightjar raw envelope (bad magic or version)');
  }
  const n = value.readUInt32BE(2);
  if (PREFIX + n > value.length) throw new NightjarError('MALFORMED_RECORD', `raw envelope header of ${n} bytes overruns the ${value.length}-byte record`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(value.toString('utf8', PREFIX, PREFIX + n)) as Record<string, unknown>;
  } catch (err) {
    throw new NightjarError('MALFORMED_RECORD', `raw envelope header is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const { format, log_type, fields, origin, origin_offset, host_hint } = header;
  if (typeof format !== 'string' || !FORMATS.has(format)) throw new NightjarError('MALFORMED_RECORD', `raw envelope has unknown format ${JSON.stringify(format)}`);
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new NightjarError('MALFORMED_RECORD', 'raw envelope fields are not an object');
  if (typeof origin !== 'string' || typeof origin_offset !== 'number') throw new NightjarError('MALFORMED_RECORD', 'raw envelope lacks origin or origin_offset');
  return {
    format: format as RawFormat,
    log_type: typeof log_type === 'string' ? log_type : null,
    fields: fields as Record<string, unknown>,
    origin,
    origin_offset,
    host_hint: typeof host_hint === 'string' ? host_hint : null,
    raw: value.subarray(PREFIX + n),
  };
}

/**
 * The original bytes inside a value that may or may not be a valid envelope: what a
 * dead letter must carry. A value that is no envelope at all is kept whole.
 */
export function originalBytesOf(value: Buffer): Buffer {
  if (value.length >= PREFIX && value[0] === MAGIC && value[1] === VERSION) {
    const n = value.readUInt32BE(2);
    if (PREFIX + n <= value.length) return value.subarray(PREFIX + n);
  }
  return value;
}
