/**
 * Benchmark: the in-process pipeline (parse → normalise → enrich sites and GeoIP → count →
 * detect, warm) over the shared Windows datasets, against the floor of JSON.parse +
 * JSON.stringify of the same lines, in the same process, on one core. Reports events/s
 * of both and their ratio (issue 2 asks ≥ 0.5, the goal is ≥ 0.8), then the whole
 * embedded run including the Parquet lake, and the peak RSS.
 *
 *   npm run build && node dist/bench/pipeline.js [--rounds 3]
 */
import { readdirSync, readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { RecordParser, type RecordSink } from '../ingest/record-parser.js';
import { validateConfig } from '../cli/config/load.js';
import { createPipeline } from '../cli/wire.js';
import { runEmbedded } from '../cli/embedded-run.js';
import { MemoryStateStore } from '../stream/state/memory.js';
import type { RawEvent } from '../schema/types.js';

// dist/bench/ → the repository's parent, where ../shared lives
const testdata = fileURLToPath(new URL('../../../shared/testdata', import.meta.url));
const windowsDir = join(testdata, 'windows');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;

function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
    lines.push(buf.subarray(start, i));
    start = i + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines.filter((l) => l.length > 0);
}

if (process.argv.includes('--child')) {
  const dir = mkdtempSync(join(tmpdir(), 'nj-bench-run-'));
  const cfg = validateConfig({ data_dir: dir }, 'bench', {});
  const e2e = await runEmbedded(cfg, [join(testdata, 'windows')], { format: 'auto', progressLabel: null });
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`embedded run of all shared Windows files into the Parquet lake: ${Math.round(e2e.read / e2e.seconds).toLocaleString('en-US')} ev/s, ` +
    `${e2e.read} read = ${e2e.landed} landed + ${e2e.deadLettered} dead-lettered; peak RSS ${rss.toFixed(0)} MiB (limit 1024)`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const files = readdirSync(windowsDir).filter((f) => f.endsWith('.json.gz')).sort();
const inputs = files.map((f) => ({ origin: join(windowsDir, f), lines: splitLines(gunzipSync(readFileSync(join(windowsDir, f)))) }));
const total = inputs.reduce((n, i) => n + i.lines.length, 0);
const bytes = inputs.reduce((n, i) => n + i.lines.reduce((m, l) => m + l.length, 0), 0);

const work = mkdtempSync(join(tmpdir(), 'nj-bench-'));
const sitesCsv = join(work, 'sites.csv');
writeFileSync(sitesCsv, 'cidr,site,location,owner\n10.0.0.0/8,hq,London,it\n172.18.39.0/24,lab,Shire,secops\n192.168.0.0/16,branch,Rivendell,it\n');
const config = validateConfig({
  data_dir: join(work, 'data'),
  enrich: { sites_csv: sitesCsv, geoip: { city_db: join(testdata, 'maxmind/GeoIP2-City-Test.mmdb'), asn_db: join(testdata, 'maxmind/GeoLite2-ASN-Test.mmdb') } },
}, 'bench', {});

function floor(): number {
  const t0 = performance.now();
  let sink = 0;
  for (const input of inputs) for (const line of input.lines) sink += JSON.stringify(JSON.parse(line.toString('utf8'))).length;
  if (sink === 0) throw new Error('nothing parsed');
  return (performance.now() - t0) / 1000;
}

async function pipelineRun(state: MemoryStateStore): Promise<{ seconds: number; events: number; dead: number; flagged: number }> {
  const pipeline = createPipeline(config, state);
  const batchSize = config.pipeline.batch_size;
  let events = 0, dead = 0, flagged = 0;
  const t0 = performance.now();
  for (const input of inputs) {
    const parser = new RecordParser(input.origin, { format: 'auto', maxEventBytes: config.pipeline.max_event_bytes });
    let sink: RecordSink = { events: [], deadLetters: [] };
    const flush = async (batch: RawEvent[]) => {
      const r = await pipeline.process(batch);
      events += r.events.length;
      dead += r.deadLetters.length;
      for (const e of r.events) if (e.flags.length) flagged++;
    };
    input.lines.forEach((bytes, i) => parser.record(bytes, i + 1, sink));
    parser.end(sink);
    dead += sink.deadLetters.length;
    for (let i = 0; i < sink.events.length; i += batchSize) await flush(sink.events.slice(i, i + batchSize));
    sink = { events: [], deadLetters: [] };
  }
  return { seconds: (performance.now() - t0) / 1000, events, dead, flagged };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`# in-process pipeline over ${files.length} shared Windows files: ${fmt(total)} events, ${(bytes / 2 ** 20).toFixed(0)} MiB of JSON`);
const state = new MemoryStateStore();
await pipelineRun(state); // warm: JIT, caches, counters
floor();
const ratios: number[] = [];
for (let r = 1; r <= rounds; r++) {
  const f = floor();
  const p = await pipelineRun(state);
  const ratio = f / p.seconds;
  ratios.push(ratio);
  console.log(`round ${r}: floor ${fmt(total / f)} ev/s | pipeline ${fmt(p.events / p.seconds)} ev/s (${fmt(p.events)} events, ${p.dead} dead letters, ${fmt(p.flagged)} flagged) | ratio ${ratio.toFixed(2)}`);
}
ratios.sort((a, b) => a - b);
console.log(`median ratio pipeline/floor: ${ratios[Math.floor(ratios.length / 2)]!.toFixed(2)}`);

rmSync(work, { recursive: true, force: true });

// The whole embedded run, Parquet lake included, in a fresh process so its peak RSS is its own.
if (!process.argv.includes('--child')) {
  process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], { encoding: 'utf8' }));
}
