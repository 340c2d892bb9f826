// Runs the real `nightjar` CLI (dist/cli/main.js, compiled by .ci/run or `npm run build`)
// against the local services with topics, groups, Redis keys, S3 prefix and Trino schema
// unique to one test run, so reruns never collide.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import kafkajs from 'kafkajs';
import { repoRoot, requireService, runId, services, tcpProbe, trinoProbe } from './env.js';
import { TrinoEngine } from '../../warehouse/sql/trino.js';
import { S3ObjectStore } from '../../warehouse/objectstore/s3.js';

export const cliMain = path.join(repoRoot, 'dist/cli/main.js');

/** Kafka, Redis, S3 and Trino all reachable (under NIGHTJAR_REQUIRE_SERVICES=1, a missing one fails). */
export async function scaleOutServicesUp(): Promise<boolean> {
  return (
    (await requireService('kafka', () => tcpProbe(services.kafka.brokers[0]!))) &&
    (await requireService('redis', () => tcpProbe(services.redis.url))) &&
    (await requireService('s3', () => tcpProbe(services.s3.endpoint))) &&
    (await requireService('trino', () => trinoProbe()))
  );
}

export interface ScaleOutRun {
  id: string;
  dir: string;
  config: string;
  trino: TrinoEngine;
  s3: S3ObjectStore;
  topics: string[];
}

export async function newRun(prefix: string, flushInterval = '2s'): Promise<ScaleOutRun> {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run "npm run build" first (.ci/run compiles before the service suites)`);
  const id = runId(prefix);
  const dir = await mkdtemp(path.join(tmpdir(), `nightjar-${prefix}-`));
  const config = path.join(dir, 'nightjar.yaml');
  const t = { raw_prefix: `${id}.raw.`, events: `${id}.events`, alerts: `${id}.alerts`, dlq: `${id}.dlq` };
  await writeFile(
    config,
    [
      `data_dir: ${dir}/data`,
      'pipeline: { batch_size: 1000 }',
      `state: { backend: redis, redis: { url: "${services.redis.url}", key_prefix: "${id}:" } }`,
      'lake:',
      '  backend: s3',
      `  flush_interval: ${flushInterval}`,
      `  s3: { endpoint: "${services.s3.endpoint}", region: ${services.s3.region}, bucket: ${services.s3.bucket}, prefix: "scaleout/${id}", access_key: "${services.s3.accessKeyId}", secret_key: "${services.s3.secretAccessKey}" }`,
      `sql: { engine: trino, trino: { server: "${services.trino.url}", catalog: ${services.trino.catalog}, schema: ${id}, user: ${services.trino.user} } }`,
      'kafka:',
      `  brokers: [${services.kafka.brokers.map((b) => `"${b}"`).join(', ')}]`,
      `  partitions: ${services.kafka.partitions}`,
      `  topics: { raw_prefix: "${t.raw_prefix}", events: "${t.events}", alerts: "${t.alerts}", dlq: "${t.dlq}" }`,
      `  groups: { stream: "${id}-stream", sink: "${id}-sink" }`,
      '  session_timeout: 6s',
      '  transaction_timeout: 10s',
      '',
    ].join('\n'),
  );
  const trino = await TrinoEngine.create({ server: services.trino.url, catalog: services.trino.catalog, schema: id, user: services.trino.user, password: null });
  const s3 = await S3ObjectStore.create({
    endpoint: services.s3.endpoint, region: services.s3.region, bucket: services.s3.bucket, prefix: `scaleout/${id}`,
    accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey,
  });
  const topics = [...['windows', 'zeek', 'auditd', 'syslog'].map((s) => t.raw_prefix + s), t.events, t.alerts, t.dlq];
  return { id, dir, config, trino, s3, topics };
}

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startCli(run: ScaleOutRun, args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [cliMain, ...args, '--config', run.config], {
    cwd: repoRoot,
    env: { ...process.env, NIGHTJAR_LOG_LEVEL: 'info', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until a process logged `needle` at least `times` times. */
export function waitForLog(p: CliProcess, needle: string, timeoutMs: number, times = 1): Promise<true> {
  return waitFor(`"${needle}" in the log`, async () => {
    if (p.child.exitCode !== null) throw new Error(`process exited with ${p.child.exitCode}: ${p.stderr().slice(-2000)}`);
    return p.stderr().split(needle).length - 1 >= times;
  }, timeoutMs, 200);
}

/** Runs `nightjar ingest` to completion; returns the records it published (raw events + dead letters). */
export async function ingest(run: ScaleOutRun, inputs: string[]): Promise<{ events: number; deadLetters: number }> {
  const p = startCli(run, ['ingest', ...inputs.flatMap((i) => ['--input', i])]);
  const code = await p.exited;
  if (code !== 0) throw new Error(`ingest exited with ${code}: ${p.stderr().slice(-3000)}`);
  const m = /published (\d+) raw events .* and (\d+) dead letters/.exec(p.stdout());
  if (!m) throw new Error(`ingest printed no totals: ${p.stdout()}`);
  return { events: Number(m[1]), deadLetters: Number(m[2]) };
}

export async function count(run: ScaleOutRun, sql: string): Promise<number> {
  const r = await run.trino.query(sql);
  return Number(r.rows[0]?.[0]);
}

/** Stops a process with SIGTERM and returns its exit code. */
export async function terminate(p: CliProcess): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  return p.exited;
}

export async function cleanup(run: ScaleOutRun, procs: CliProcess[]): Promise<void> {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  for (const table of ['events', 'alerts', 'dead_letters']) await run.trino.query(`DROP TABLE IF EXISTS ${run.id}.${table}`).catch(() => undefined);
  await run.trino.query(`DROP SCHEMA IF EXISTS ${run.id}`).catch(() => undefined);
  const objects = await run.s3.list('').catch(() => []);
  await run.s3.delete(objects.map((o) => o.key)).catch(() => undefined);
  await run.s3.close();
  const admin = new kafkajs.Kafka({ brokers: services.kafka.brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect().then(() => admin.deleteTopics({ topics: run.topics })).catch(() => undefined);
  await admin.disconnect().catch(() => undefined);
  await rm(run.dir, { recursive: true, force: true });
}
