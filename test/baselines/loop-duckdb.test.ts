// The embedded baseline loop end to end: a lake of history days written by the
// LakeWriter → dbt on DuckDB → loaded into the in-memory state store → the rarity stage
// flags exactly the keys of a new day that are new or rare. Needs the project's dbt
// (npm install sets it up; `npm run setup:dbt`).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { LakeWriter } from '../../warehouse/lake/lake-writer.js';
import { DuckDbEngine, DuckDbParquetEncoder } from '../../warehouse/sql/duckdb.js';
import { buildBaselines } from '../../warehouse/baselines/build.js';
import { loadBaselines } from '../../warehouse/baselines/load.js';
import { defaultDbtPath } from '../../warehouse/baselines/dbt-runner.js';
import { readKind, readTotals } from '../../warehouse/baselines/read-tables.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { RarityStage } from '../../stream/rarity/stage.js';
import { DEFAULT_THRESHOLDS } from '../../stream/rarity/score.js';
import { AS_OF, HISTORY_DAYS, HOSTS, expectedFlagged, flaggedKeys, historyEvents, newDayEvents } from './history-lake.js';

const trino = { server: 'http://127.0.0.1:18081', catalog: 'hive', schema: 'nightjar_baselines', user: 'nightjar', password: null };

describe('baseline loop on DuckDB and the memory state store', () => {
  let dir: string;
  let sql: DuckDbEngine;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nj-baselines-'));
    const lake = new LakeWriter({ store: await LocalObjectStore.create(path.join(dir, 'lake')), encoder: await DuckDbParquetEncoder.create() });
    await lake.write(historyEvents(), []);
    await lake.close();
    await buildBaselines({
      engine: 'duckdb', dbt: defaultDbtPath(), baselinesDir: path.join(dir, 'baselines'), lakePath: path.join(dir, 'lake'),
      trino, lakeCatalog: 'hive', lakeSchema: 'nightjar', baselineDays: 30, asOf: AS_OF, onLine: (l) => lines.push(l),
    });
    sql = await DuckDbEngine.create();
  }, 300_000);

  afterAll(async () => {
    await sql?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const location = () => ({ engine: 'duckdb' as const, tablesDir: path.join(dir, 'baselines', 'duckdb', 'tables') });

  it('runs every model and test, streaming dbt progress', () => {
    expect(lines.some((l) => /OK created .*baseline_keys/.test(l))).toBe(true);
    expect(lines.some((l) => /Done\. PASS=\d+ WARN=0 ERROR=0/.test(l))).toBe(true);
  });

  it('computes prevalence over the history window', async () => {
    const totals = await readTotals(sql, location());
    expect(totals).toMatchObject({ total_hosts: HOSTS.length, baseline_days: 30, window_end: AS_OF, events: historyEvents().length });
    const chains = await readKind(sql, location(), 'parent_child');
    const byKey = new Map(chains.map((r) => [r.key, r]));
    expect(byKey.get('explorer.exe>chrome.exe')).toMatchObject({ events: HOSTS.length * HISTORY_DAYS, hosts: HOSTS.length });
    expect(byKey.get('powershell.exe>rundll32.exe')).toMatchObject({ events: 1, hosts: 1 });
    const domains = new Map((await readKind(sql, location(), 'registered_domain')).map((r) => [r.key, r.hosts]));
    expect(domains).toEqual(new Map([['google.com', 12], ['office365.com', 12], ['rarely-used.co.uk', 1]]));
  });

  it('flags exactly the new and the rare keys of a new day', async () => {
    const state = new MemoryStateStore();
    const loaded = await loadBaselines({ sql, location: location(), state, versionTtlSeconds: 86_400, graceSeconds: 60 });
    expect(loaded.previous).toBeNull();
    const stage = new RarityStage(state, { thresholds: DEFAULT_THRESHOLDS, pointerRefreshMs: 1_000 });
    const events = newDayEvents();
    await stage.run(events);
    expect(flaggedKeys(events)).toEqual(expectedFlagged());
    const rundll = events.find((e) => e.parent_process === 'powershell.exe')!;
    expect(rundll.flags.map((f) => f.reason)).toContain('powershell.exe → rundll32.exe seen on 1 of 12 hosts in the last 30 days (now on ws-06)');
    // every key of every event is scored, flagged or not
    const common = events[0]!;
    expect(common.flags).toEqual([]);
    expect(common.rarity!.map((r) => r.kind).sort()).toEqual(['parent_child', 'process_hash', 'process_image']);
    expect(common.rarity!.every((r) => r.score < 0.2 && r.hosts === 12 && r.total_hosts === 12)).toBe(true);
    await state.close();
  });
});
