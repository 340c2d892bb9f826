/**
 * Baselines benchmark (issue 5):
 *   1. generates a lake of N events (default 10 million) straight into the Parquet
 *      layout with DuckDB SQL (Hive partitions source=/dt=/hour=, skewed key
 *      distributions so there are both very common and very rare keys);
 *   2. builds the baselines with dbt on DuckDB (`dbt build`: 13 models, their tests);
 *   3. loads them into the state store (Redis when it answers, and memory): keys/s;
 *   4. runs the stream stages (count → [rarity] → detect) over events drawn from the same
 *      distributions, with the rarity stage on and off: events/s.
 *
 *   node dist/bench/baselines.js [--events 10000000] [--hosts 5000] [--days 14] [--stream-events 200000] [--keep DIR]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbEngine } from '../warehouse/sql/duckdb.js';
import { buildBaselines, baselineLocation } from '../warehouse/baselines/build.js';
import { loadBaselines } from '../warehouse/baselines/load.js';
import { defaultDbtPath } from '../warehouse/baselines/dbt-runner.js';
import { MemoryStateStore } from '../stream/state/memory.js';
import type { StateStore } from '../stream/state/port.js';
import type { Stage } from '../stream/stage.js';
import { CountStage } from '../stream/count/stage.js';
import { DetectStage } from '../stream/detect/stage.js';
import { RarityStage } from '../stream/rarity/stage.js';
import { DEFAULT_THRESHOLDS } from '../stream/rarity/score.js';
import { DEFAULT_WATCHLIST } from '../stream/detect/watchlist.js';
import { newEvent, type NightjarEvent } from '../schema/types.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    hosts: { type: 'string', default: '5000' },
    days: { type: 'string', default: '14' },
    'stream-events': { type: 'string', default: '200000' },
    keep: { type: 'string' },
    redis: { type: 'string', default: process.env.NIGHTJAR_REDIS_URL ?? 'redis://127.0.0.1:16379' },
  },
});
const N = Number(values.events);
const HOSTS = Number(values.hosts);
const DAYS = Number(values.days);
const STREAM_EVENTS = Number(values['stream-events']);
const START = Date.UTC(2024, 2, 1);
const AS_OF = new Date(START + DAYS * 86_400_000).toISOString().slice(0, 10);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The key distributions, shared by the SQL generator and the stream events: u in [0,1) → skewed ids. */
const IMAGES = 3_000;
const DOMAINS = 20_000;
const SERVERS = 200;

function lakeSql(dir: string): string {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return `
COPY (
  SELECT ts, source, event_type, host, "user", process, process_path, parent_process, sha256,
         CAST(NULL AS VARCHAR) AS sha1, CAST(NULL AS VARCHAR) AS md5, logon_type, outcome, src_ip, dst_ip, dst_port, dns_query,
         strftime(ts, '%Y-%m-%d') AS dt, strftime(ts, '%H') AS "hour"
  FROM (
    SELECT *,
      CASE WHEN kind < 4 THEN 'process_start' WHEN kind < 6 THEN 'logon' WHEN kind < 8 THEN 'network_connection' ELSE 'dns_query' END AS event_type,
      CASE WHEN kind IN (6, 7) THEN 'zeek' ELSE 'windows' END AS source,
      CASE WHEN kind IN (6, 7) THEN NULL ELSE 'ws-' || lpad(CAST(h AS VARCHAR), 5, '0') END AS host,
      CASE WHEN kind IN (4, 5) AND r2 < 0.05 THEN 'admin' || CAST(floor(r1 * 50) AS INTEGER) WHEN kind IN (6, 7) THEN NULL ELSE 'user' || CAST(h AS VARCHAR) END AS "user",
      CASE WHEN kind < 4 THEN 'app' || img || '.exe' END AS process,
      CASE WHEN kind < 4 THEN 'C:\\Program Files\\Vendor' || (img % 97) || '\\app' || img || '.exe' END AS process_path,
      CASE WHEN kind < 4 THEN ['explorer.exe', 'services.exe', 'cmd.exe', 'powershell.exe', 'svchost.exe'][1 + CAST(floor(r2 * 5) AS INTEGER)] END AS parent_process,
      CASE WHEN kind < 4 THEN md5('a' || img) || md5('b' || img) END AS sha256,
      CASE WHEN kind IN (4, 5) THEN [2, 3, 3, 3, 10][1 + CAST(floor(r2 * 5) AS INTEGER)] END AS logon_type,
      CASE WHEN kind IN (4, 5) THEN CASE WHEN r1 < 0.03 THEN 'failure' ELSE 'success' END END AS outcome,
      CASE WHEN kind IN (6, 7) THEN '10.0.' || (h // 256) || '.' || (h % 256) END AS src_ip,
      CASE WHEN kind IN (6, 7) THEN '10.200.0.' || CAST(floor(pow(r1, 3) * ${SERVERS}) AS INTEGER) END AS dst_ip,
      CASE WHEN kind IN (6, 7) THEN [443, 445, 80, 3389, 22, 53][1 + CAST(floor(r2 * 6) AS INTEGER)] END AS dst_port,
      CASE WHEN kind >= 8 THEN 'n' || CAST(floor(r2 * 20) AS INTEGER) || '.d' || CAST(floor(pow(r1, 3) * ${DOMAINS}) AS INTEGER) || '.com' END AS dns_query
    FROM (
      SELECT i,
        TIMESTAMP '2024-03-01 00:00:00' + to_milliseconds(CAST(i * (${DAYS} * 86400000.0 / ${N}) AS BIGINT)) AS ts,
        CAST(i % 10 AS INTEGER) AS kind,
        CAST(hash(i) % ${HOSTS} AS INTEGER) AS h,
        CAST(floor(pow(random(), 4) * ${IMAGES}) AS INTEGER) AS img,
        random() AS r1, random() AS r2
      FROM range(${N}) t(i)
    )
  )
) TO ${lit(path.join(dir, 'events'))} (FORMAT parquet, PARTITION_BY (source, dt, "hour"), COMPRESSION zstd, OVERWRITE_OR_IGNORE true)`;
}

/** Events for the stream measurement from the same distributions, on the day after the window. */
function streamEvents(n: number): NightjarEvent[] {
  const out: NightjarEvent[] = [];
  let seed = 42;
  const rnd = () => ((seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
  const base = { dataset: 'bench', fields: {}, src_geo: null, dst_geo: null, src_site: null, dst_site: null, origin: 'bench' };
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    const h = Math.floor(rnd() * HOSTS);
    const ts = START + DAYS * 86_400_000 + i;
    const e: NightjarEvent = { ...newEvent({ ts: 0, source: '', dataset: '', event_type: '', fields: {}, origin: '', origin_offset: 0 }), ...base, ts, source: 'windows', event_type: 'process_start', stats: [], flags: [], origin_offset: i, host: `ws-${String(h).padStart(5, '0')}`, user: `user${h}` };
    if (kind < 4) {
      const img = Math.floor(rnd() ** 4 * IMAGES * 1.01); // a few images beyond the baseline: never seen
      Object.assign(e, { process: `app${img}.exe`, process_path: `C:\\Program Files\\Vendor${img % 97}\\app${img}.exe`, parent_process: ['explorer.exe', 'services.exe', 'cmd.exe', 'powershell.exe', 'svchost.exe'][Math.floor(rnd() * 5)] });
    } else if (kind < 6) {
      Object.assign(e, { event_type: 'logon', logon_type: 3, outcome: 'success' });
    } else if (kind < 8) {
      Object.assign(e, { event_type: 'network_connection', source: 'zeek', host: null, user: null, src_ip: `10.0.${h >> 8}.${h & 255}`, dst_ip: `10.200.0.${Math.floor(rnd() ** 3 * SERVERS)}`, dst_port: 443 });
    } else {
      Object.assign(e, { event_type: 'dns_query', dns_query: `n${Math.floor(rnd() * 20)}.d${Math.floor(rnd() ** 3 * DOMAINS * 1.01)}.com` });
    }
    out.push(e);
  }
  return out;
}

function stages(state: StateStore, rarity: boolean): Stage[] {
  const list: Stage[] = [new CountStage(state)];
  if (rarity) list.push(new RarityStage(state, { thresholds: DEFAULT_THRESHOLDS, pointerRefreshMs: 10_000 }));
  list.push(new DetectStage(state, { watchlist: DEFAULT_WATCHLIST, watchlistRoutineAfter: 100, learningWindowMs: 86_400_000, firstSeenKinds: ['logon', 'process_image', 'process_hash', 'parent_child', 'host_pair'], spray: null }));
  return list;
}

async function streamRate(state: StateStore, rarity: boolean, template: readonly NightjarEvent[]): Promise<{ rate: number; flagged: number }> {
  const events: NightjarEvent[] = template.map((e) => ({ ...e, stats: [], flags: [], rarity: [] }));
  const list = stages(state, rarity);
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += 2_000) {
    const batch = events.slice(i, i + 2_000);
    for (const s of list) await s.run(batch);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { rate: events.length / seconds, flagged: events.filter((e) => e.flags.some((f) => /^(rare|never_seen)_/.test(f.rule))).length };
}

async function main(): Promise<void> {
  const dir = values.keep ?? (await mkdtemp(path.join(os.tmpdir(), 'nj-bench-baselines-')));
  const lake = path.join(dir, 'lake');
  const rows: string[][] = [];
  try {
    console.log(`generating ${fmt(N)} events over ${DAYS} days on ${fmt(HOSTS)} hosts into ${lake}`);
    const duck = await DuckDbEngine.create();
    let t = performance.now();
    await (await import('node:fs/promises')).mkdir(lake, { recursive: true });
    await duck.query(lakeSql(lake));
    const genSeconds = (performance.now() - t) / 1000;
    rows.push(['generate lake (DuckDB SQL → Parquet)', `${genSeconds.toFixed(1)} s`, `${fmt(N / genSeconds)} events/s`]);

    const trino = { server: 'http://127.0.0.1:18081', catalog: 'hive', schema: 'nightjar_baselines', user: 'nightjar', password: null };
    const built = await buildBaselines({
      engine: 'duckdb', dbt: defaultDbtPath(), baselinesDir: path.join(dir, 'baselines'), lakePath: lake, trino,
      lakeCatalog: 'hive', lakeSchema: 'nightjar', baselineDays: DAYS, asOf: AS_OF,
    });
    rows.push(['dbt build on DuckDB (13 models + tests)', `${built.seconds.toFixed(1)} s`, `${fmt(N / built.seconds)} events/s`]);

    const location = baselineLocation('duckdb', path.join(dir, 'baselines'), trino);
    const memory = new MemoryStateStore(50_000_000);
    let loaded = await loadBaselines({ sql: duck, location, state: memory, versionTtlSeconds: 86_400, graceSeconds: 60 });
    rows.push([`load into memory (${fmt(loaded.keys)} keys)`, `${loaded.seconds.toFixed(1)} s`, `${fmt(loaded.keys / loaded.seconds)} keys/s`]);

    let redis: StateStore | null = null;
    try {
      const { RedisStateStore } = await import('../stream/state/redis.js');
      redis = await RedisStateStore.create(values.redis!, `njbench:${Date.now().toString(36)}:`);
    } catch (err) {
      console.log(`Redis not reachable at ${values.redis} (${(err as Error).message}); skipping the Redis rows`);
    }
    if (redis) {
      t = performance.now();
      loaded = await loadBaselines({ sql: duck, location, state: redis, versionTtlSeconds: 3_600, graceSeconds: 60 });
      rows.push([`load into Redis (${fmt(loaded.keys)} keys, 5,000 per pipeline)`, `${loaded.seconds.toFixed(1)} s`, `${fmt(loaded.keys / loaded.seconds)} keys/s`]);
    }
    await duck.close();

    const template = streamEvents(STREAM_EVENTS);
    for (const [name, state] of [['memory', memory], ...(redis ? [['Redis', redis]] : [])] as [string, StateStore][]) {
      const off = await streamRate(state, false, template);
      const on = await streamRate(state, true, template);
      rows.push([`stream count→detect, ${name} state, rarity off`, '', `${fmt(off.rate)} events/s`]);
      rows.push([`stream count→rarity→detect, ${name} state, rarity on`, `${fmt(on.flagged)} of ${fmt(template.length)} events flagged rare/new`, `${fmt(on.rate)} events/s (${((on.rate / off.rate) * 100).toFixed(0)}% of off)`]);
    }
    await redis?.close();
    await memory.close();

    console.log('\n| step | time / detail | rate |\n|---|---|---|');
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
