/**
 * Benchmark: the stream pipeline over the shared Windows datasets with every enrichment
 * that needs no outside server on (sites, GeoIP City+ASN, passive DNS, threat intel with
 * 100,000 indicators, vulnerability scans, hash prevalence) against the same pipeline
 * with enrichments off, in one run. Each pipeline gets a cold pass (empty caches and
 * state) and then warm passes; the passes alternate between configurations so machine
 * load hits them alike. Only `pipeline.process` is timed (reading and parsing the files
 * is the same for all and excluded). Reverse DNS and LDAP need a DNS or LDAP server and
 * are measured by their own service tests, not here.
 *
 *   npm run build && node dist/bench/enrichments.js [--rounds 2]   (from the repository root)
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { readInputs } from '../ingest/read-inputs.js';
import { validateConfig } from '../cli/config/load.js';
import { createPipeline } from '../cli/wire.js';
import { MemoryStateStore } from '../stream/state/memory.js';
import type { Pipeline } from '../stream/pipeline.js';
import { metrics } from '../core/metrics.js';

const testdata = resolve(process.env['NIGHTJAR_TESTDATA'] ?? resolve(process.cwd(), '../shared/testdata'));
const windows = join(testdata, 'windows');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Pass {
  seconds: number;
  events: number;
  dead: number;
  flags: Map<string, number>;
  enriched: { intel: number; vulns: number; prevalence: number; geo: number; site: number };
}

async function pass(pipeline: Pipeline, collect?: (e: { sha256: string | null; dst_ip: string | null; dst_port: number | null }) => void): Promise<Pass> {
  const out: Pass = { seconds: 0, events: 0, dead: 0, flags: new Map(), enriched: { intel: 0, vulns: 0, prevalence: 0, geo: 0, site: 0 } };
  for await (const batch of readInputs([windows], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
    const t0 = performance.now();
    const r = await pipeline.process(batch.events);
    out.seconds += (performance.now() - t0) / 1000;
    out.events += r.events.length;
    out.dead += r.deadLetters.length + batch.deadLetters.length;
    for (const e of r.events) {
      for (const f of e.flags) out.flags.set(f.rule, (out.flags.get(f.rule) ?? 0) + 1);
      if (e.intel?.length) out.enriched.intel++;
      if (e.vulns?.length) out.enriched.vulns++;
      if (e.prevalence) out.enriched.prevalence++;
      if (e.src_geo || e.dst_geo) out.enriched.geo++;
      if (e.src_site || e.dst_site) out.enriched.site++;
      collect?.(e);
    }
  }
  return out;
}

function cacheRatios(): Record<string, { hits: number; misses: number }> {
  const out: Record<string, { hits: number; misses: number }> = {};
  for (const cache of ['geoip', 'intel']) out[cache] = { hits: metrics.get('nightjar_cache_hits_total', { cache }), misses: metrics.get('nightjar_cache_misses_total', { cache }) };
  return out;
}
function ratioSince(before: Record<string, { hits: number; misses: number }>): string {
  const now = cacheRatios();
  return Object.keys(now)
    .map((c) => {
      const h = now[c]!.hits - before[c]!.hits;
      const m = now[c]!.misses - before[c]!.misses;
      return h + m === 0 ? null : `${c} ${((100 * h) / (h + m)).toFixed(1)}% of ${fmt(h + m)}`;
    })
    .filter(Boolean)
    .join(', ') || 'no cache lookups';
}

/** Seconds spent in each stage so far (the pipeline's own latency metrics). */
const STAGES = ['normalise', 'enrich_sites', 'enrich_geoip', 'enrich_passive_dns', 'enrich_intel', 'enrich_vulns', 'enrich_prevalence', 'count', 'rarity', 'detect'];
const stageSeconds = (): Record<string, number> => Object.fromEntries(STAGES.map((s) => [s, metrics.get('nightjar_stage_latency_seconds_sum', { stage: s })]));
/**
 * Each stage's share of the pipeline's time between two readings, and the enrichments'
 * total: measured inside the same passes, so machine load shifts all stages alike.
 * Removing stages that take a share x of the time raises throughput by 1/(1-x); so
 * with them on, throughput is (1-x) of what it is without.
 */
function shares(a: Record<string, number>, b: Record<string, number>): string {
  const d = STAGES.map((s) => [s, b[s]! - a[s]!] as const).filter(([, t]) => t > 0);
  const total = d.reduce((n, [, t]) => n + t, 0);
  const enrich = d.filter(([s]) => s.startsWith('enrich_')).reduce((n, [, t]) => n + t, 0);
  return `${d.map(([s, t]) => `${s} ${((100 * t) / total).toFixed(1)}%`).join(', ')} → enrichments ${((100 * enrich) / total).toFixed(1)}% of the time, throughput ratio ${(1 - enrich / total).toFixed(2)}`;
}

const work = mkdtempSync(join(tmpdir(), 'nj-bench-enrich-'));
const offConfig = validateConfig({ data_dir: join(work, 'data'), enrich: { passive_dns: { enabled: false } } }, 'bench', {});

// The cold "off" pass doubles as the survey that plants realistic indicators and findings.
const offPipeline = createPipeline(offConfig, new MemoryStateStore());
const hashes = new Set<string>();
const services = new Map<string, number>();
let before = cacheRatios();
const offCold = await pass(offPipeline, (e) => {
  if (e.sha256) hashes.add(e.sha256);
  if (e.dst_ip && e.dst_port !== null) services.set(`${e.dst_ip}|${e.dst_port}`, (services.get(`${e.dst_ip}|${e.dst_port}`) ?? 0) + 1);
});

// 100,000 indicators: synthetic ones plus every 20th real hash seen, plus the three busiest services' addresses' neighbours
const feed: string[] = ['# bench feed'];
for (let i = 0; i < 100_000 - 1_000; i++) {
  const r = i % 4;
  feed.push(r === 0 ? `${11 + (i % 200)}.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}` : r === 1 ? `h${i}.bad${i % 331}.example` : r === 2 ? createHash('sha256').update(String(i)).digest('hex') : `http://u${i}.example/x/${i}`);
}
[...hashes].filter((_, i) => i % 20 === 0).forEach((h) => feed.push(h));
for (let i = 0; i < 200; i++) feed.push(`198.51.${i}.0/24`);
writeFileSync(join(work, 'feed.txt'), feed.join('\n'));
const busiest = [...services].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k]) => k.split('|'));
writeFileSync(join(work, 'scan.xml'), `<nmaprun>${busiest.map(([ip, port]) => `<host><address addr="${ip}" addrtype="${ip!.includes(':') ? 'ipv6' : 'ipv4'}"/><ports><port protocol="tcp" portid="${port}"><state state="open"/><service name="svc"/><script id="vulners" output="  CVE-2020-0001 7.5 https://vulners.com/cve/CVE-2020-0001"/></port></ports></host>`).join('')}</nmaprun>`);
writeFileSync(join(work, 'sites.csv'), 'cidr,site,location,owner\n10.0.0.0/8,hq,London,it\n172.18.0.0/16,lab,Shire,secops\n192.168.0.0/16,branch,Rivendell,it\n');

const onRaw = (backend: 'memory' | 'state-store') => ({
  data_dir: join(work, 'data'),
  enrich: {
    sites_csv: join(work, 'sites.csv'),
    geoip: { city_db: join(testdata, 'maxmind/GeoIP2-City-Test.mmdb'), asn_db: join(testdata, 'maxmind/GeoLite2-ASN-Test.mmdb') },
    passive_dns: { enabled: true },
    intel: { enabled: true, backend, feeds: [{ path: join(work, 'feed.txt') }] },
    vulns: { enabled: true, scans: [join(work, 'scan.xml')] },
    prevalence: { enabled: true, window_days: 7 },
  },
});
const configs = {
  off: { pipeline: offPipeline },
  'on (intel in memory)': { pipeline: createPipeline(validateConfig(onRaw('memory'), 'bench', {}), new MemoryStateStore()) },
  'on (intel in state store)': { pipeline: createPipeline(validateConfig(onRaw('state-store'), 'bench', {}), new MemoryStateStore()) },
};

console.log(`# enrichments on vs off over the shared Windows files (${fmt(offCold.events)} events, ${offCold.dead} dead letters), Node ${process.version}`);
console.log(`intel feed: ${fmt(feed.length - 1)} indicators (${fmt([...hashes].filter((_, i) => i % 20 === 0).length)} real hashes); scan: ${busiest.map(([ip, p]) => `${ip}:${p}`).join(', ')}`);
console.log(`cold  off: ${fmt(offCold.events / offCold.seconds)} ev/s`);
const cold: Record<string, Pass> = { off: offCold };
for (const [name, c] of Object.entries(configs)) {
  if (name === 'off') continue;
  before = cacheRatios();
  const s0 = stageSeconds();
  cold[name] = await pass(c.pipeline);
  console.log(`cold  ${name}: ${shares(s0, stageSeconds())}`);
  console.log(`cold  ${name}: ${fmt(cold[name]!.events / cold[name]!.seconds)} ev/s (${(cold[name]!.seconds / offCold.seconds).toFixed(2)}x the time of off) | caches: ${ratioSince(before)}`);
}

const warm: Record<string, number[]> = {};
const spent: Record<string, number> = {};
let lastOn: Pass | null = null;
for (let r = 1; r <= rounds; r++) {
  for (const [name, c] of Object.entries(configs)) {
    before = cacheRatios();
    const s0 = stageSeconds();
    const p = await pass(c.pipeline);
    (warm[name] ??= []).push(p.events / p.seconds);
    const s1 = stageSeconds();
    if (name === 'on (intel in memory)') {
      lastOn = p;
      for (const s of STAGES) spent[s] = (spent[s] ?? 0) + (s1[s]! - s0[s]!);
    }
    if (name !== 'off') console.log(`warm${r} ${name}: ${shares(s0, s1)}`);
    console.log(`warm${r} ${name}: ${fmt(p.events / p.seconds)} ev/s | caches: ${ratioSince(before)}`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const name of Object.keys(configs)) {
  if (name === 'off') continue;
  // paired per round: the on and off passes of one round ran back to back
  const ratios = warm[name]!.map((on, i) => on / warm.off![i]!);
  const m = median(ratios);
  console.log(`RESULT ${name}: warm ${fmt(median(warm[name]!))} ev/s vs off ${fmt(median(warm.off!))} ev/s (medians); paired ratios ${ratios.map((x) => x.toFixed(2)).join(' ')} → median ${m.toFixed(2)} (cost ${((1 - m) * 100).toFixed(0)}%; goal ≤ 30%)`);
}
console.log(`RESULT time per stage, enrichments on (intel in memory), all warm passes: ${shares(Object.fromEntries(STAGES.map((s) => [s, 0])), spent)}`);
if (lastOn) {
  console.log(`enriched per warm pass: intel ${fmt(lastOn.enriched.intel)}, vulns ${fmt(lastOn.enriched.vulns)}, prevalence ${fmt(lastOn.enriched.prevalence)}, geo ${fmt(lastOn.enriched.geo)}, site ${fmt(lastOn.enriched.site)}; flags ${[...lastOn.flags].map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
}
for (const c of Object.values(configs)) await c.pipeline.close();
rmSync(work, { recursive: true, force: true });
