// End to end on the real services: ingest a shared Windows dataset and a Zeek dataset into
// Kafka with the CLI, run two stream workers and the sink, and check in Trino that
// events + dead letters = records ingested, and that the flags equal the embedded
// pipeline's on the same input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../cli/config/load.js';
import { createPipeline } from '../../cli/wire.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { testdata } from '../testdata.js';
import { services } from './env.js';
import { cleanup, count, scaleOutServicesUp, ingest, newRun, startCli, terminate, waitFor, waitForLog, type CliProcess, type ScaleOutRun } from './scaleout-harness.js';

const up = await scaleOutServicesUp();

const INPUTS = [
  testdata('windows/empire_mimikatz_logonpasswords_2020-08-07103224.json.gz'),
  testdata('zeek/apt29_day1/SCRANTON_dns.log.gz'),
  testdata('zeek/apt29_day1/SCRANTON_http.log.gz'),
];

/** `origin|origin_offset|rule` of every flag the embedded pipeline raises on the inputs. */
async function embeddedFlags(): Promise<{ flags: string[]; read: number; events: number; dead: number }> {
  const config = validateConfig({ pipeline: { batch_size: 1000 } });
  const state = new MemoryStateStore();
  const pipeline = createPipeline(config, state);
  const flags: string[] = [];
  let read = 0;
  let events = 0;
  let dead = 0;
  for await (const batch of readInputs(INPUTS, { format: 'auto', maxEventBytes: config.pipeline.max_event_bytes, batchSize: 1000 })) {
    read += batch.events.length + batch.deadLetters.length;
    const r = await pipeline.process(batch.events);
    events += r.events.length;
    dead += batch.deadLetters.length + r.deadLetters.length;
    for (const e of r.events) for (const f of e.flags) flags.push(`${e.origin}|${e.origin_offset}|${f.rule}`);
  }
  await pipeline.close();
  await state.close();
  return { flags: flags.sort(), read, events, dead };
}

describe.runIf(up)('scale-out end to end: ingest → Kafka → 2 stream workers → sink → S3 → Trino', () => {
  let run: ScaleOutRun;
  const procs: CliProcess[] = [];
  let workers: CliProcess[] = [];
  let sink: CliProcess;
  let published: { events: number; deadLetters: number };
  const metricsPort = 19_400 + Math.floor(Math.random() * 500);

  beforeAll(async () => {
    run = await newRun('e2e');
    // Workers first, and a settled group, so no rebalance happens mid-stream.
    // w1 serves its metrics, as each replica of a deployment would on its own port
    workers = ['w1', 'w2'].map((w) => startCli(run, ['stream', '--worker-id', w], w === 'w1' ? { NIGHTJAR_METRICS_PORT: String(metricsPort) } : {}));
    procs.push(...workers);
    sink = startCli(run, ['sink']);
    procs.push(sink);
    await Promise.all(workers.map((w) => waitForLog(w, 'stream worker running', 60_000)));
    await waitForLog(sink, 'sink running', 90_000);
    // the second worker's join makes the first rejoin; wait until both hold partitions
    await waitFor('two workers sharing the partitions', async () => workers.every((w) => /"assignment":\{"[^}]*\[\d/.test(w.stderr().split('joined the consumer group').pop() ?? '')), 60_000);
    published = await ingest(run, INPUTS);
  }, 240_000);

  afterAll(async () => {
    if (run) await cleanup(run, procs);
  }, 120_000);

  it('lands every ingested record in Trino exactly once: events + dead letters = records ingested', async () => {
    const expected = published.events + published.deadLetters;
    expect(expected).toBeGreaterThan(5_000);
    const total = `SELECT (SELECT count(*) FROM ${run.id}.events) + (SELECT count(*) FROM ${run.id}.dead_letters)`;
    await waitFor('all records in Trino', async () => (await count(run, total)) >= expected, 180_000, 1_000);
    // let any straggler land before asserting there is no extra row
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await count(run, total)).toBe(expected);
    expect(await count(run, `SELECT count(*) - count(DISTINCT (origin, origin_offset)) FROM ${run.id}.events`)).toBe(0);
    const bySource = await run.trino.query(`SELECT source, count(*) FROM ${run.id}.events GROUP BY source ORDER BY source`);
    expect(bySource.rows.map((r) => r[0])).toEqual(['windows', 'zeek']);
  }, 240_000);

  it('flags exactly what the embedded pipeline flags on the same input, and alerts are the flagged events', async () => {
    const embedded = await embeddedFlags();
    expect(embedded.read).toBe(published.events + published.deadLetters);
    expect(await count(run, `SELECT count(*) FROM ${run.id}.events`)).toBe(embedded.events);
    expect(await count(run, `SELECT count(*) FROM ${run.id}.dead_letters`)).toBe(embedded.dead);
    const flagged = await run.trino.query(
      `SELECT origin, origin_offset, f.rule FROM ${run.id}.events CROSS JOIN UNNEST(flags) AS f(rule, score, reason)`,
    );
    const distributed = flagged.rows.map((r) => `${r[0]}|${r[1]}|${r[2]}`).sort();
    expect(distributed).toEqual(embedded.flags);
    expect(await count(run, `SELECT count(*) FROM ${run.id}.alerts`)).toBe(await count(run, `SELECT count(*) FROM ${run.id}.events WHERE cardinality(flags) > 0`));
  }, 120_000);

  it('serves Prometheus metrics from a worker: stage counts and its consumer lag', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const normalised = /^nightjar_stage_events_in_total\{stage="normalise"\} (\d+)$/m.exec(text);
    expect(Number(normalised?.[1])).toBeGreaterThan(0);
    const lags = [...text.matchAll(/^nightjar_consumer_lag\{group="([^"]+)",partition="\d+",topic="([^"]+)"\} (\d+)$/gm)];
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((m) => m[1] === `${run.id}-stream` && m[2]!.startsWith(`${run.id}.raw.`))).toBe(true);
  }, 60_000);

  it('drains and exits 0 on SIGTERM, and the two workers shared the work', async () => {
    const codes = await Promise.all([...workers, sink].map(terminate));
    expect(codes).toEqual([0, 0, 0]);
    // Each worker's last assignment: together they hold every raw partition, each once.
    const held = workers.map((w) => {
      const lines = w.stderr().split('\n').filter((l) => l.includes('joined the consumer group'));
      const assignment = JSON.parse(lines[lines.length - 1]!).assignment as Record<string, number[]>;
      return Object.entries(assignment).flatMap(([t, ps]) => ps.map((p) => `${t}/${p}`));
    });
    expect(held.every((h) => h.length > 0)).toBe(true);
    expect(held.flat().sort()).toEqual(run.topics.filter((t) => t.includes('.raw.')).flatMap((t) => Array.from({ length: services.kafka.partitions }, (_, p) => `${t}/${p}`)).sort());
    // Every raw record was processed once across the workers.
    const processed = workers.map((w) => Number(/: (\d+) records in/.exec(w.stdout())?.[1] ?? -1));
    expect(processed.reduce((a, b) => a + b, 0)).toBe(published.events);
  }, 120_000);
});
