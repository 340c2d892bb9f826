// Connection settings of the local test services (scripts/services/services.env) and the
// gate every service suite goes through.
//
// Under NIGHTJAR_REQUIRE_SERVICES=1 (CI) an unreachable service fails the suite; without it
// the suite is skipped with a message saying how to start the service. Suites compute
// the gate at top level with an awaited probe and pass it to describe.runIf.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const servicesEnvFile = path.join(repoRoot, 'scripts/services/services.env');

/** Parses services.env: KEY=value lines, `${HOME}` substituted, `#` comments skipped. */
export function parseServicesEnv(text: string, home = homedir()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`${servicesEnvFile}: expected KEY=value, got "${line}"`);
    out[line.slice(0, eq)] = line.slice(eq + 1).split('${HOME}').join(home);
  }
  return out;
}

/** services.env with the process environment layered on top (as the shell scripts do). */
export function loadServicesEnv(file = servicesEnvFile): Record<string, string> {
  const fromFile = parseServicesEnv(readFileSync(file, 'utf8'));
  const merged: Record<string, string> = { ...fromFile };
  for (const key of Object.keys(fromFile)) {
    const override = process.env[key];
    if (override !== undefined && override !== '') merged[key] = override;
  }
  return merged;
}

function need(env: Record<string, string>, key: string): string {
  const value = env[key];
  if (value === undefined || value === '') throw new Error(`${servicesEnvFile}: ${key} is not set`);
  return value;
}

export interface ServicesConfig {
  kafka: { brokers: string[]; partitions: number };
  redis: { url: string };
  s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string };
  trino: { url: string; catalog: string; user: string };
  dbt: { bin: string };
}

export function servicesConfig(env = loadServicesEnv()): ServicesConfig {
  return Object.freeze({
    kafka: {
      brokers: need(env, 'NIGHTJAR_KAFKA_BROKERS').split(','),
      partitions: Number(need(env, 'NIGHTJAR_KAFKA_PARTITIONS')),
    },
    redis: { url: need(env, 'NIGHTJAR_REDIS_URL') },
    s3: {
      endpoint: need(env, 'NIGHTJAR_S3_ENDPOINT'),
      region: need(env, 'NIGHTJAR_S3_REGION'),
      bucket: need(env, 'NIGHTJAR_S3_BUCKET'),
      accessKeyId: need(env, 'NIGHTJAR_S3_ACCESS_KEY'),
      secretAccessKey: need(env, 'NIGHTJAR_S3_SECRET_KEY'),
    },
    trino: {
      url: need(env, 'NIGHTJAR_TRINO_URL'),
      catalog: need(env, 'NIGHTJAR_TRINO_CATALOG'),
      user: need(env, 'NIGHTJAR_TRINO_USER'),
    },
    dbt: { bin: need(env, 'NIGHTJAR_DBT') },
  });
}

export const services = servicesConfig();

/** True when CI (or a developer) demands that every service suite really runs. */
export const servicesRequired = process.env.NIGHTJAR_REQUIRE_SERVICES === '1';

/**
 * Probes a service once. Returns true when it answers. When it does not: throws under
 * NIGHTJAR_REQUIRE_SERVICES=1, else warns and returns false so the suite is skipped.
 */
export async function requireService(name: string, probe: () => Promise<unknown>, timeoutMs = 10_000): Promise<boolean> {
  let failure: unknown;
  try {
    await withTimeout(probe(), timeoutMs, `${name} probe`);
    return true;
  } catch (err) {
    failure = err;
  }
  const why = failure instanceof Error ? failure.message : String(failure);
  const hint = `start it with: bash scripts/services/${name}.sh start (or npm run services:up)`;
  if (servicesRequired) {
    throw new Error(`service ${name} is unreachable (${why}) and NIGHTJAR_REQUIRE_SERVICES=1; ${hint}`);
  }
  console.warn(`[services] skipping the ${name} suite: ${name} is unreachable (${why}); ${hint}`);
  return false;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when host:port accepts a TCP connection. */
export function tcpProbe(hostPort: string): Promise<void> {
  const url = new URL(hostPort.includes('://') ? hostPort : `tcp://${hostPort}`);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Resolves when Trino answers /v1/info and has finished starting. */
export async function trinoProbe(url = services.trino.url): Promise<void> {
  const res = await fetch(`${url}/v1/info`);
  const info = (await res.json()) as { starting?: boolean };
  if (info.starting !== false) throw new Error('Trino is still starting');
}

/** Resolves when the dbt executable runs. */
export function dbtProbe(bin = services.dbt.bin): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(bin, ['--version'], { timeout: 60_000 }, (err) => (err ? reject(err) : resolve()));
  });
}

/** A name unique to this test run, for topics, keys, prefixes and schemas. */
export function runId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
