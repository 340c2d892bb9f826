/**
 * Composition of the baseline loop for the CLI (`nightjar baselines`, the demo): picks
 * the engine, dbt and folders from the configuration, builds with dbt, and loads the
 * tables into the state store through the matching SQL engine.
 */
import { resolve } from 'node:path';
import type { NightjarConfig } from './config/schema.js';
import type { StateStore } from '../stream/state/port.js';
import type { SqlEngine } from '../warehouse/sql/port.js';
import { buildBaselines, baselineLocation } from '../warehouse/baselines/build.js';
import { loadBaselines } from '../warehouse/baselines/load.js';
import { defaultDbtPath } from '../warehouse/baselines/dbt-runner.js';
import type { BaselineEngine, TrinoTarget } from '../warehouse/baselines/profiles.js';
import type { PublishResult } from '../warehouse/baselines/publish.js';
import { lakeDir } from './embedded-run.js';

export function baselineEngine(config: NightjarConfig): BaselineEngine {
  return config.baselines.engine ?? config.sql.engine;
}

export function baselinesDir(config: NightjarConfig): string {
  return resolve(config.data_dir, 'baselines');
}

export function dbtPath(config: NightjarConfig): string {
  return config.baselines.dbt ? resolve(config.baselines.dbt) : defaultDbtPath();
}

function trinoTarget(config: NightjarConfig): TrinoTarget {
  const t = config.sql.trino;
  return { server: t.server, catalog: t.catalog, schema: config.baselines.trino_schema, user: t.user, password: t.password };
}

export async function buildFromConfig(config: NightjarConfig, engine: BaselineEngine, onLine?: (line: string) => void) {
  return buildBaselines({
    engine,
    dbt: dbtPath(config),
    baselinesDir: baselinesDir(config),
    lakePath: lakeDir(config),
    trino: trinoTarget(config),
    lakeCatalog: config.sql.trino.catalog,
    lakeSchema: config.sql.trino.schema,
    baselineDays: config.baselines.days,
    asOf: config.baselines.as_of,
    ...(onLine ? { onLine } : {}),
  });
}

/** A SQL engine able to read the baseline tables: in-process DuckDB (Parquet files) or Trino. */
async function baselineSqlEngine(config: NightjarConfig, engine: BaselineEngine): Promise<SqlEngine> {
  if (engine === 'trino') {
    const { TrinoEngine } = await import('../warehouse/sql/trino.js');
    return TrinoEngine.create(config.sql.trino);
  }
  const { DuckDbEngine } = await import('../warehouse/sql/duckdb.js');
  return DuckDbEngine.create();
}

export async function loadFromConfig(config: NightjarConfig, engine: BaselineEngine, state: StateStore, onProgress?: (written: number) => void): Promise<PublishResult> {
  const sql = await baselineSqlEngine(config, engine);
  try {
    return await loadBaselines({
      sql,
      location: baselineLocation(engine, baselinesDir(config), trinoTarget(config)),
      state,
      versionTtlSeconds: Math.ceil(config.baselines.version_ttl / 1000),
      graceSeconds: Math.ceil(config.baselines.grace / 1000),
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    await sql.close();
  }
}

/** One line for logs: "v… live: 1,234 keys from 2024-02-01..2024-03-02 over 345 hosts (duckdb)". */
export function describeLoad(r: PublishResult): string {
  const f = new Intl.NumberFormat('en-US');
  return `baseline ${r.version} live: ${f.format(r.keys)} keys, window ${r.meta.window_start}..${r.meta.window_end} (exclusive), ${f.format(r.meta.total_hosts)} hosts, ${f.format(r.meta.events)} events (${r.meta.engine})${r.previous ? `; ${r.previous} expires` : ''}`;
}
