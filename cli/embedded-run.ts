/**
 * The embedded deployment of the loop on one machine: read and parse the inputs, run
 * the stream pipeline over each batch, land events and dead letters in the local lake.
 * In-process async batches stand in for the transport; the stages are the same ones the
 * Kafka workers run.
 *
 * Accounting is checked, not assumed: every record read is either landed or
 * dead-lettered, and the totals come from the lake writer's own counts.
 */
import { resolve } from 'node:path';
import type { NightjarConfig } from './config/schema.js';
import type { Flag, RawFormat } from '../schema/types.js';
import { readInputs } from '../ingest/read-inputs.js';
import { openObjectStore } from './wire-store.js';
import { LakeWriter } from '../warehouse/lake/lake-writer.js';
import { DuckDbParquetEncoder } from '../warehouse/sql/duckdb.js';
import { createPipeline, createStateStore } from './wire.js';
import type { StateStore } from '../stream/state/port.js';
import { Progress } from './progress.js';

export interface FlagSummary {
  rule: string;
  count: number;
  maxScore: number;
  examples: string[];
}

export interface RunTotals {
  read: number;
  landed: number;
  deadLettered: number;
  flaggedEvents: number;
  bySource: Record<string, number>;
  deadLettersByCode: Record<string, number>;
  flags: Map<string, FlagSummary>;
  seconds: number;
}

export function lakeDir(config: NightjarConfig): string {
  return resolve(config.data_dir, 'lake');
}

export function emptyTotals(): RunTotals {
  return { read: 0, landed: 0, deadLettered: 0, flaggedEvents: 0, bySource: {}, deadLettersByCode: {}, flags: new Map(), seconds: 0 };
}

function recordFlag(totals: RunTotals, flag: Flag): void {
  let s = totals.flags.get(flag.rule);
  if (!s) {
    s = { rule: flag.rule, count: 0, maxScore: 0, examples: [] };
    totals.flags.set(flag.rule, s);
  }
  s.count++;
  s.maxScore = Math.max(s.maxScore, flag.score);
  if (s.examples.length < 3 && !s.examples.includes(flag.reason)) s.examples.push(flag.reason);
}

export interface EmbeddedRunOptions {
  format: 'auto' | RawFormat;
  /** Label of the progress bar; null for none. */
  progressLabel?: string | null;
  /** Reuse a state store across runs (the demo runs day after day on one state). */
  state?: StateStore;
  totals?: RunTotals;
}

export async function runEmbedded(config: NightjarConfig, inputs: string[], opts: EmbeddedRunOptions): Promise<RunTotals> {
  const started = performance.now();
  const totals = opts.totals ?? emptyTotals();
  const state = opts.state ?? (await createStateStore(config));
  const pipeline = createPipeline(config, state);
  const { store } = await openObjectStore(config);
  // DuckDB writes the Parquet files (the fastest and smallest, bench/README.md); one thread
  // and 256 MB, with at most lake.max_buffered_rows rows held, keep the run under 1 GiB RSS.
  const encoder = await DuckDbParquetEncoder.create({ memoryLimit: '256MB', threads: 1 });
  const lake = new LakeWriter({ store, encoder, maxRowsPerFile: config.lake.file_max_rows, maxBufferedRows: config.lake.max_buffered_rows });
  const progress = opts.progressLabel === null ? null : new Progress(opts.progressLabel ?? 'processing');
  let bytes = { done: 0, total: null as number | null };
  const landedBefore = { events: totals.landed, dead: totals.deadLettered };
  let read = 0;
  let landed = 0;
  let dead = 0;

  try {
    const batches = readInputs(inputs, {
      format: opts.format,
      maxEventBytes: config.pipeline.max_event_bytes,
      batchSize: config.pipeline.batch_size,
      onProgress: (p) => (bytes = { done: p.bytesRead, total: p.bytesTotal }),
    });
    for await (const batch of batches) {
      read += batch.events.length + batch.deadLetters.length;
      const result = await pipeline.process(batch.events);
      const deadLetters = batch.deadLetters.concat(result.deadLetters);
      await lake.write(result.events, deadLetters);
      landed += result.events.length;
      dead += deadLetters.length;
      for (const e of result.events) {
        totals.bySource[e.source] = (totals.bySource[e.source] ?? 0) + 1;
        if (e.flags.length > 0) {
          totals.flaggedEvents++;
          for (const f of e.flags) recordFlag(totals, f);
        }
      }
      for (const d of deadLetters) totals.deadLettersByCode[d.code] = (totals.deadLettersByCode[d.code] ?? 0) + 1;
      progress?.update({ done: bytes.done, total: bytes.total, unit: 'bytes', extra: `${read.toLocaleString('en-US')} records` });
    }
    await lake.close();
    progress?.done({ done: bytes.done, total: bytes.total, unit: 'bytes', extra: `${read.toLocaleString('en-US')} records` });
  } finally {
    await store.close();
    await encoder.close();
    await pipeline.close();
    if (!opts.state) await state.close();
  }

  // The lake writer may still turn an event that violates the schema into a dead letter,
  // so the landed counts come from it; together they must account for every record read.
  const written = lake.landed;
  if (written.events + written.dead_letters !== read || landed + dead !== read) {
    throw new Error(
      `accounting mismatch: read ${read}, processed to ${landed} events + ${dead} dead letters, lake wrote ${written.events} + ${written.dead_letters}`,
    );
  }
  landed = written.events;
  dead = written.dead_letters;
  totals.read += read;
  totals.landed = landedBefore.events + landed;
  totals.deadLettered = landedBefore.dead + dead;
  totals.seconds += (performance.now() - started) / 1000;
  return totals;
}
