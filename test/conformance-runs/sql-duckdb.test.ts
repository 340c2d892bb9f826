import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { DuckDbEngine } from '../../warehouse/sql/duckdb.js';
import { buildLake, sqlConformance } from '../conformance/sql.js';

sqlConformance('DuckDB over a local lake', async () => {
  const lakeDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'nightjar-sqlc-')), 'lake');
  await buildLake(await LocalObjectStore.create(lakeDir));
  return DuckDbEngine.create({ lakeDir, threads: 1 });
});
