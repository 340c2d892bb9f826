/**
 * `nightjar baselines load`: reads the baseline tables through the SQL engine and
 * publishes them into the state store as a new live version (publish.ts).
 */
import type { SqlEngine } from '../sql/port.js';
import type { StateStore } from '../../stream/state/port.js';
import { publishBaseline, type PublishResult } from './publish.js';
import { readBaselineRows, readTotals, type BaselineLocation } from './read-tables.js';

export interface LoadOptions {
  sql: SqlEngine;
  location: BaselineLocation;
  state: StateStore;
  versionTtlSeconds: number;
  graceSeconds: number;
  onProgress?: (written: number) => void;
}

export async function loadBaselines(o: LoadOptions): Promise<PublishResult> {
  const totals = await readTotals(o.sql, o.location);
  return publishBaseline({
    state: o.state,
    engine: o.location.engine,
    totals,
    rows: readBaselineRows(o.sql, o.location),
    versionTtlSeconds: o.versionTtlSeconds,
    graceSeconds: o.graceSeconds,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
}
