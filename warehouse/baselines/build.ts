/**
 * `nightjar baselines build`: writes the dbt profile, then runs `dbt build` on the
 * chosen target with the window and lake variables, so the baseline models and their
 * tests run over the lake. Returns where the baseline tables now are.
 */
import { join } from 'node:path';
import { runDbt, type DbtRunResult } from './dbt-runner.js';
import { duckDbTablesDir, writeProfiles, type BaselineEngine, type TrinoTarget } from './profiles.js';
import type { BaselineLocation } from './read-tables.js';

export interface BuildOptions {
  engine: BaselineEngine;
  dbt: string;
  /** Folder owned by the baselines: profile, dbt scratch, DuckDB tables. */
  baselinesDir: string;
  /** DuckDB: the local lake root. */
  lakePath: string;
  /** Trino: the server and the schema baselines are written to. */
  trino: TrinoTarget;
  /** Trino: where the lake tables are (hive.nightjar). */
  lakeCatalog: string;
  lakeSchema: string;
  baselineDays: number;
  /** YYYY-MM-DD exclusive end of the window; null: tomorrow (today included). */
  asOf: string | null;
  onLine?: (line: string) => void;
}

export function baselineLocation(engine: BaselineEngine, baselinesDir: string, trino: TrinoTarget): BaselineLocation {
  return engine === 'duckdb'
    ? { engine, tablesDir: duckDbTablesDir({ dir: join(baselinesDir, 'duckdb') }) }
    : { engine, catalog: trino.catalog, schema: trino.schema };
}

export async function buildBaselines(o: BuildOptions): Promise<DbtRunResult & { location: BaselineLocation }> {
  if (o.asOf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(o.asOf)) throw new Error(`as_of must be YYYY-MM-DD, got "${o.asOf}"`);
  const profilesDir = await writeProfiles(join(o.baselinesDir, 'dbt'), { duckdb: { dir: join(o.baselinesDir, 'duckdb') }, trino: o.trino }, o.engine);
  const result = await runDbt({
    dbt: o.dbt,
    command: 'build',
    target: o.engine,
    profilesDir,
    workDir: join(o.baselinesDir, 'dbt', o.engine),
    vars: {
      baseline_days: o.baselineDays,
      ...(o.asOf ? { as_of: o.asOf } : {}),
      lake_path: o.lakePath,
      lake_catalog: o.lakeCatalog,
      lake_schema: o.lakeSchema,
    },
    ...(o.onLine ? { onLine: o.onLine } : {}),
  });
  return { ...result, location: baselineLocation(o.engine, o.baselinesDir, o.trino) };
}
