/** Picks the SQL engine named by the configuration. */
import type { NightjarConfig } from './config/schema.js';
import type { SqlEngine } from '../warehouse/sql/port.js';
import { lakeDir } from './embedded-run.js';

export async function createSqlEngine(config: NightjarConfig): Promise<SqlEngine> {
  if (config.sql.engine === 'trino') {
    const { TrinoEngine } = await import('../warehouse/sql/trino.js');
    return TrinoEngine.create(config.sql.trino);
  }
  const { DuckDbEngine } = await import('../warehouse/sql/duckdb.js');
  return DuckDbEngine.create({ lakeDir: lakeDir(config) });
}
