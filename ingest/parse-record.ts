/**
 * The single-record entry point, for stdin framing, the syslog listeners and anything
 * else that already holds one record in a buffer. Zeek TSV needs its file header and is
 * read through readInputs instead.
 */
import type { DeadLetter, RawEvent, RawFormat } from '../schema/types.js';
import { RecordParser, type RecordSink } from './record-parser.js';

export interface ParseRecordContext {
  /** Where the record came from: a listener name such as `syslog-udp:514`, or a path. */
  origin: string;
  /** Position within the origin (message counter, line number). */
  origin_offset: number;
  format?: 'auto' | RawFormat;
  /** Records larger than this become OVERSIZED_EVENT dead letters. Default 1 MiB. */
  maxEventBytes?: number;
  /** Reference time (epoch ms) for RFC 3164 timestamps, which have no year. */
  now?: number;
}

export type ParseResult = { event: RawEvent; deadLetter?: undefined } | { event?: undefined; deadLetter: DeadLetter };

export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/** Parses one record; null when the buffer is blank (not a record) or a Zeek header line. */
export function parseRecord(bytes: Buffer, ctx: ParseRecordContext): ParseResult | null {
  const now = ctx.now;
  const parser = new RecordParser(ctx.origin, {
    format: ctx.format ?? 'auto',
    maxEventBytes: ctx.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    now: now === undefined ? undefined : () => now,
  });
  const sink: RecordSink = { events: [], deadLetters: [] };
  parser.record(bytes, ctx.origin_offset, sink);
  if (sink.events[0]) return { event: sink.events[0] };
  if (sink.deadLetters[0]) return { deadLetter: sink.deadLetters[0] };
  return null;
}
