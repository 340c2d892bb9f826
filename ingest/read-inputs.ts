/**
 * Reads files, folders and stdin as a stream of batches of RawEvents and DeadLetters.
 *
 * Each input is streamed (gzip detected by its magic bytes, not its name, and inflated
 * on the fly), split into lines capped at maxEventBytes, and parsed by a RecordParser that
 * picks the format per line (or uses the one given). Nothing is dropped silently: a bad
 * line, an unknown format, an oversized record, invalid UTF-8 and a truncated or
 * unreadable file each become a dead letter carrying the original bytes. Empty lines and
 * Zeek header directives are not records.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { NightjarError } from '../core/errors.js';
import type { DeadLetter, RawEvent, RawFormat } from '../schema/types.js';
import { ingestDeadLetter } from './dead-letter.js';
import { expandInputs, type InputFile } from './input-files.js';
import { LineSplitter, type Line } from './line-splitter.js';
import { RecordParser } from './record-parser.js';

export interface IngestBatch {
  events: RawEvent[];
  deadLetters: DeadLetter[];
}

export interface IngestProgress {
  /** Bytes read from disk so far (compressed bytes for .gz). */
  bytesRead: number;
  /** Total bytes of all files; null when reading stdin. */
  bytesTotal: number | null;
}

export interface ReadInputsOptions {
  format: 'auto' | RawFormat;
  maxEventBytes: number;
  /** Records (events + dead letters) per batch; the last batch may be smaller. */
  batchSize: number;
  onProgress?(p: IngestProgress): void;
  /** Files inside folders that were skipped as not logs. */
  onSkipped?(path: string, reason: string): void;
  /** Stdin replacement, for tests and embedding. */
  stdin?: Readable;
  /** Clock for RFC 3164 syslog years. */
  now?: () => number;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const READ_CHUNK = 1 << 20;

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === GZIP_MAGIC_0 && buf[1] === GZIP_MAGIC_1;
  } finally {
    await fh.close();
  }
}

/** Peeks at the first chunk of a stream to see whether it is gzip; returns the re-assembled stream. */
async function* gunzipIfNeeded(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head: Buffer = first.value;
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => it };
  if (head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1) {
    const gunzip = createGunzip();
    const feed = (async () => {
      try {
        if (!gunzip.write(head)) await new Promise((r) => gunzip.once('drain', r));
        for await (const chunk of rest) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
        gunzip.end();
      } catch (err) {
        gunzip.destroy(err as Error);
      }
    })();
    yield* gunzip as AsyncIterable<Buffer>;
    await feed;
    return;
  }
  yield head;
  yield* rest;
}

async function openChunks(file: InputFile, opts: ReadInputsOptions, counted: (n: number) => void): Promise<AsyncIterable<Buffer>> {
  if (file.path === '-') {
    const stdin = opts.stdin ?? process.stdin;
    async function* counting(): AsyncGenerator<Buffer> {
      for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        counted(b.length);
        yield b;
      }
    }
    return gunzipIfNeeded(counting());
  }
  const gzip = await isGzip(file.path);
  const raw = createReadStream(file.path, { highWaterMark: READ_CHUNK });
  if (!gzip) return countChunks(raw, counted);
  // listeners and pipe are attached in the same tick, so no chunk is emitted unseen
  const gunzip = createGunzip({ chunkSize: READ_CHUNK });
  raw.on('data', (chunk) => counted(chunk.length));
  raw.on('error', (err) => gunzip.destroy(err));
  gunzip.on('close', () => raw.destroy());
  raw.pipe(gunzip);
  return gunzip as AsyncIterable<Buffer>;
}

async function* countChunks(stream: Readable, counted: (n: number) => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      counted(chunk.length);
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}

export async function* readInputs(inputs: readonly string[], opts: ReadInputsOptions): AsyncGenerator<IngestBatch> {
  if (!(opts.maxEventBytes > 0)) throw new NightjarError('CONFIG_INVALID', 'maxEventBytes must be a positive number of bytes');
  if (!(opts.batchSize > 0)) throw new NightjarError('CONFIG_INVALID', 'batchSize must be positive');
  const files = await expandInputs(inputs, opts.onSkipped);
  const bytesTotal = files.some((f) => f.size === null) ? null : files.reduce((s, f) => s + (f.size ?? 0), 0);
  let bytesRead = 0;
  const counted = (n: number): void => {
    bytesRead += n;
  };
  let batch: IngestBatch = { events: [], deadLetters: [] };
  const lines: Line[] = [];

  const full = (): boolean => batch.events.length + batch.deadLetters.length >= opts.batchSize;

  for (const file of files) {
    const origin = file.path;
    const parser = new RecordParser(origin, { format: opts.format, maxEventBytes: opts.maxEventBytes, now: opts.now });
    const splitter = new LineSplitter(opts.maxEventBytes);
    let chunks: AsyncIterable<Buffer> | null = null;
    let failure: unknown = null;
    try {
      chunks = await openChunks(file, opts, counted);
      for await (const chunk of chunks) {
        splitter.push(chunk, lines);
        for (let i = 0; i < lines.length; i++) {
          parser.line(lines[i]!, batch);
          if (full()) {
            opts.onProgress?.({ bytesRead, bytesTotal });
            yield batch;
            batch = { events: [], deadLetters: [] };
          }
        }
        lines.length = 0;
      }
    } catch (err) {
      failure = err;
      lines.length = 0;
    } finally {
      // also runs when the consumer stops early: release the file
      (chunks as { destroy?: () => void } | null)?.destroy?.();
    }
    if (failure === null) {
      const last = splitter.finish();
      if (last) parser.line(last, batch);
      parser.end(batch);
    } else {
      // a truncated .gz, a read error: what was read stands; the rest is one dead letter
      const partial = splitter.takePartial();
      parser.end(batch);
      const message = failure instanceof Error ? failure.message : String(failure);
      const at = partial?.lineNo ?? splitter.nextLineNo;
      batch.deadLetters.push(
        ingestDeadLetter(
          'INPUT_UNREADABLE',
          `reading stopped at line ${at}: ${message}${partial ? `; raw holds the first ${partial.bytes.length} bytes of the unfinished line` : ''}`,
          partial?.bytes ?? Buffer.alloc(0),
          origin,
          at,
          opts.format === 'auto' ? 'unknown' : opts.format,
        ),
      );
    }
    if (full()) {
      yield batch;
      batch = { events: [], deadLetters: [] };
    }
  }
  opts.onProgress?.({ bytesRead, bytesTotal });
  if (batch.events.length + batch.deadLetters.length > 0) yield batch;
}
