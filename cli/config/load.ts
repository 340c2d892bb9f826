/**
 * Loads the configuration: the YAML file (optional), then environment overrides (the
 * place for secrets), then validation against the closed schema. Errors name the field
 * path and what was expected. The result is deeply frozen.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { NightjarError } from '../../core/errors.js';
import { configSchema, type NightjarConfig } from './schema.js';

/** Environment variables that override config fields; secrets belong here, not in files. */
export const ENV_OVERRIDES: Record<string, string[]> = {
  NIGHTJAR_DATA_DIR: ['data_dir'],
  NIGHTJAR_REDIS_URL: ['state', 'redis', 'url'],
  NIGHTJAR_S3_ENDPOINT: ['lake', 's3', 'endpoint'],
  NIGHTJAR_S3_ACCESS_KEY: ['lake', 's3', 'access_key'],
  NIGHTJAR_S3_SECRET_KEY: ['lake', 's3', 'secret_key'],
  NIGHTJAR_TRINO_SERVER: ['sql', 'trino', 'server'],
  NIGHTJAR_TRINO_PASSWORD: ['sql', 'trino', 'password'],
  NIGHTJAR_KAFKA_BROKERS: ['kafka', 'brokers'],
  // one per replica: each worker process serves its own /metrics
  NIGHTJAR_METRICS_PORT: ['metrics', 'port'],
  NIGHTJAR_LDAP_BIND_PASSWORD: ['enrich', 'ldap', 'bind_password'],
};

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[], origin: string): string {
  const lines = issues.map((i) => {
    const at = i.path.length ? i.path.join('.') : '(top level)';
    if (i.code === 'unrecognized_keys') return `  ${at}: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `  ${at}: ${i.message}`;
  });
  return `invalid configuration (${origin}):\n${lines.join('\n')}`;
}

/** A command-line override of one field, e.g. --data-dir → ['data_dir']. Applied last. */
export interface ConfigOverride {
  path: string[];
  value: unknown;
}

export function validateConfig(raw: unknown, origin = 'defaults', env: NodeJS.ProcessEnv = process.env, overrides: readonly ConfigOverride[] = []): NightjarConfig {
  const input: Record<string, unknown> = raw && typeof raw === 'object' && !Array.isArray(raw) ? structuredClone(raw as Record<string, unknown>) : {};
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new NightjarError('CONFIG_INVALID', `invalid configuration (${origin}): the top level must be a mapping of sections`);
  }
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const parsed = name === 'NIGHTJAR_KAFKA_BROKERS' ? value.split(',').map((s) => s.trim())
      : name === 'NIGHTJAR_METRICS_PORT' && /^\d+$/.test(value) ? Number(value)
      : value;
    setPath(input, path, parsed);
  }
  for (const o of overrides) if (o.value !== undefined) setPath(input, o.path, o.value);
  const result = configSchema.safeParse(input);
  if (!result.success) throw new NightjarError('CONFIG_INVALID', formatIssues(result.error.issues, origin));
  return deepFreeze(result.data);
}

export function loadConfig(path: string | undefined, overrides: readonly ConfigOverride[] = [], env: NodeJS.ProcessEnv = process.env): NightjarConfig {
  if (!path) return validateConfig({}, 'defaults', env, overrides);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new NightjarError('CONFIG_UNREADABLE', `cannot read the configuration file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new NightjarError('CONFIG_INVALID', `${path} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  return validateConfig(raw ?? {}, path, env, overrides);
}
