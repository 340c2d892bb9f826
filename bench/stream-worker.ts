/**
 * Scale-out throughput on the local services, in one run:
 *  1. one stream worker (decode, all stages with Redis state, Avro encode, one Kafka
 *     transaction per batch) against a raw passthrough (the same consumer and
 *     transactional producer, the same raw bytes copied to an output topic, no stages);
 *     events/s of each and their ratio;
 *  2. the lake sink (Avro decode, Parquet encode, S3 upload, commit) against DuckDB
 *     alone writing the same rows to a local Parquet file; rows/s and ratio.
 *
 *   npm run build && node dist/bench/stream-worker.js [--events 60000]
 *
 * Needs Kafka, Redis and S3 from scripts/services (npm run services:up).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { validateConfig } from '../cli/config/load.js';
import { createPipeline } from '../cli/wire.js';
import { readInputs } from '../ingest/read-inputs.js';
import { rawRecords } from '../ingest/kafka-publish.js';
import { encodeEvent } from '../schema/avro.js';
import type { NightjarEvent } from '../schema/types.js';
import { RedisStateStore } from '../stream/state/redis.js';
import { StreamWorker } from '../stream/worker.js';
import { ensureTopics, KafkaBatchConsumer, KafkaProducer, KafkaTransactionalProducer, type KafkaOptions } from '../transport/kafka.js';
import type { TransportRecord } from '../transport/port.js';
import { LakeSink } from '../warehouse/sink.js';
import { S3ObjectStore } from '../warehouse/objectstore/s3.js';
import { DuckDbParquetEncoder } from '../warehouse/sql/duckdb.js';
import { readFileSync } from 'node:fs';

/** scripts/services/services.env (KEY=value lines), with the environment on top. */
function loadServicesEnv(): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const line of readFileSync('scripts/services/services.env', 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = process.env[m[1]!] || m[2]!.split('${HOME}').join(os.homedir());
  }
  return out;
}

const env = loadServicesEnv();
const argEvents = process.argv.indexOf('--events');
const target = argEvents > 0 ? Number(process.argv[argEvents + 1]) : 60_000;
const testdata = process.env.NIGHTJAR_TESTDATA ?? path.resolve('../shared/testdata');
const id = `bench${Date.now().toString(36)}`;
const kafka: KafkaOptions = { brokers: env.NIGHTJAR_KAFKA_BROKERS!.split(','), clientId: `${id}`, compression: 'gzip' };
const topics = { raw: `${id}.raw.windows`, passthrough: `${id}.passthrough`, events: `${id}.events`, alerts: `${id}.alerts`, dlq: `${id}.dlq` };

async function rawInput(): Promise<TransportRecord[]> {
  const out: TransportRecord[] = [];
  const file = path.join(testdata, 'windows/empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.gz');
  while (out.length < target) {
    for await (const batch of readInputs([file], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
      for (const r of rawRecords(batch.events, [], { rawPrefix: `${id}.raw.`, dlq: topics.dlq })) if (out.length < target) out.push(r);
    }
  }
  return out;
}

/** Consumes the raw topic with a fresh group until `n` records went through `handle`; events/s. */
async function consumeAll(group: string, n: number, handle: (b: { topic: string; partition: number; records: { key: string | null; value: Buffer; offset: string }[] }) => Promise<void>): Promise<number> {
  const consumer = await KafkaBatchConsumer.create({ ...kafka, groupId: group, topics: [topics.raw], sessionTimeoutMs: 30_000, fromBeginning: true });
  let done = 0;
  let started = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  await consumer.run(async (batch) => {
    if (started === 0) started = performance.now();
    await handle(batch);
    batch.resolve();
    done += batch.records.length;
    if (done >= n) finished();
  });
  await all;
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  return n / seconds;
}

async function main(): Promise<void> {
  const partitions = 1; // one worker: one partition keeps the comparison about the worker, not the spread
  await ensureTopics(kafka, Object.values(topics), partitions);
  const input = await rawInput();
  const producer = await KafkaProducer.create(kafka);
  await producer.send(input.map((r) => ({ ...r, topic: topics.raw })));
  await producer.close();
  console.log(`${input.length} raw Windows events in ${topics.raw}`);

  const tx = await KafkaTransactionalProducer.create({ ...kafka, transactionalId: `${id}-tx`, transactionTimeoutMs: 30_000 });
  const passRate = await consumeAll(`${id}-pass`, input.length, (b) =>
    tx.sendAndCommit(b.records.map((r) => ({ topic: topics.passthrough, key: r.key, value: r.value })), `${id}-pass`, [{ topic: b.topic, partition: b.partition, offset: (BigInt(b.records.at(-1)!.offset) + 1n).toString() }]),
  );

  const state = await RedisStateStore.create(env.NIGHTJAR_REDIS_URL!, `${id}:`);
  const pipeline = createPipeline(validateConfig({}), state);
  const worker = new StreamWorker(pipeline, { publish: (records, commit) => tx.sendAndCommit(records, `${id}-work`, [commit]) }, { ...topics, rawPrefix: `${id}.raw.` });
  const workRate = await consumeAll(`${id}-work`, input.length, async (b) => void (await worker.handle(b)));
  await pipeline.close();
  await state.close();
  await tx.close();

  console.log(`raw passthrough   ${passRate.toFixed(0).padStart(8)} events/s`);
  console.log(`stream worker     ${workRate.toFixed(0).padStart(8)} events/s`);
  console.log(`ratio worker/passthrough ${(workRate / passRate).toFixed(2)}`);

  // Sink against DuckDB alone, on the events the worker produced (decoded from the same file).
  const events: NightjarEvent[] = [];
  const localState = await RedisStateStore.create(env.NIGHTJAR_REDIS_URL!, `${id}:sink:`);
  const p2 = createPipeline(validateConfig({}), localState);
  for await (const batch of readInputs([path.join(testdata, 'windows/empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.gz')], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
    events.push(...(await p2.process(batch.events)).events);
  }
  await p2.close();
  await localState.close();
  const rows: NightjarEvent[] = [];
  while (rows.length < target) rows.push(...events.slice(0, target - rows.length));
  const values = rows.map(encodeEvent);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-bench-sink-'));
  const encoder = await DuckDbParquetEncoder.create({ threads: 1 });
  await encoder.write('events', rows.slice(0, 2_000), path.join(dir, 'warm.parquet')); // warm-up, not timed
  let t0 = performance.now();
  await encoder.write('events', rows, path.join(dir, 'duck.parquet'));
  const duckRate = rows.length / ((performance.now() - t0) / 1000);

  const store = await S3ObjectStore.create({
    endpoint: env.NIGHTJAR_S3_ENDPOINT!, region: env.NIGHTJAR_S3_REGION!, bucket: env.NIGHTJAR_S3_BUCKET!, prefix: `bench/${id}`,
    accessKeyId: env.NIGHTJAR_S3_ACCESS_KEY!, secretAccessKey: env.NIGHTJAR_S3_SECRET_KEY!,
  });
  const sink = new LakeSink({ store, encoder, topics: { events: topics.events, alerts: topics.alerts, dlq: topics.dlq }, maxRows: 1_000_000, maxAgeMs: 3_600_000, commit: async () => {} });
  t0 = performance.now();
  for (let i = 0; i < values.length; i += 2_000) {
    await sink.handle({ topic: topics.events, partition: 0, records: values.slice(i, i + 2_000).map((value, k) => ({ value, offset: String(i + k) })) });
  }
  await sink.drain();
  const sinkRate = rows.length / ((performance.now() - t0) / 1000);
  await sink.close();
  await store.delete((await store.list('')).map((o) => o.key));
  await store.close();
  await encoder.close();
  await rm(dir, { recursive: true, force: true });

  console.log(`DuckDB writing the rows ${duckRate.toFixed(0).padStart(8)} rows/s`);
  console.log(`lake sink (decode, encode, S3 upload) ${sinkRate.toFixed(0).padStart(8)} rows/s`);
  console.log(`ratio sink/DuckDB ${(sinkRate / duckRate).toFixed(2)}`);
}

await main();
process.exit(0);
