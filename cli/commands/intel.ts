/**
 * `nightjar intel import FILE...`: parse threat-intel feeds (STIX 2.1, MISP, OTX, plain
 * lists), deduplicate them, and write them as a new version into the configured state
 * store, which the stream workers switch to on their next refresh. The files given are
 * the whole set: indicators of the previous import that are in none of them are gone.
 *
 * `nightjar intel lookup VALUE`: what the indicator set says about an address, domain
 * (parents included), URL or hash: from the state store with `enrich.intel.backend:
 * state-store`, else from the feeds configured in enrich.intel.feeds.
 */
import { resolve } from 'node:path';
import { type CommandSpec, type OptionSpec, parseCommand, UsageError, helpText } from '../args.js';
import { loadConfig } from '../config/load.js';
import { formatRows, type RowFormat } from '../format-rows.js';
import { createStateStore } from '../wire.js';
import { Progress } from '../progress.js';
import { FEED_FORMATS, readFeed, type FeedFormat, type FeedSpec } from '../../stream/enrich/intel/feed.js';
import { IndicatorSet } from '../../stream/enrich/intel/indicator-set.js';
import { importIndicators, StateStoreIndicatorLookup } from '../../stream/enrich/intel/state-index.js';
import { memoryFeedLookup } from '../../stream/enrich/intel/feed-lookups.js';
import { probeForValue } from '../../stream/enrich/intel/probes.js';
import type { IndicatorLookup } from '../../stream/enrich/intel/lookup-port.js';
import type { Indicator } from '../../stream/enrich/intel/indicator.js';

export const intelSpec = {
  name: 'intel',
  summary: 'threat intel: import STIX/MISP/OTX/CSV feeds into the state store, look values up',
  usage: 'nightjar intel import FILE... [--format auto|stix|misp|otx|csv] [--dry-run]\n       nightjar intel lookup VALUE [--format-out table|json|csv]',
  options: {
    format: { type: 'string', short: 'f', default: 'auto' },
    'dry-run': { type: 'boolean', short: 'n' },
    'format-out': { type: 'string', short: 'o', default: 'table' },
  },
  optionHelp: {
    format: '--format, -f FMT       feed format of every FILE: auto (default: told from the content), stix, misp, otx or csv',
    'dry-run': '--dry-run, -n         parse and deduplicate only; print what would be imported',
    'format-out': '--format-out, -o FMT   lookup output: table (default), json or csv',
  },
  examples: [
    'nightjar intel import feeds/cti.stix.json feeds/misp-event.json feeds/blocklist.txt',
    'nightjar intel import --dry-run feeds/otx-pulse.json',
    'nightjar intel lookup www.evil.example',
    'nightjar intel lookup 4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
  ],
} satisfies CommandSpec<OptionSpec>;

const fmtTime = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

async function importCommand(files: string[], format: string, dryRun: boolean, configPath: string | undefined): Promise<number> {
  if (files.length === 0) throw new UsageError('give at least one feed file\nRun "nightjar intel --help" for usage.');
  if (!(FEED_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FEED_FORMATS.join(', ')}; got "${format}"`);
  const config = loadConfig(configPath, []);
  const set = new IndicatorSet();
  for (const file of files) {
    const spec: FeedSpec = { path: resolve(file), format: format as FeedFormat | 'auto' };
    const result = readFeed(spec);
    set.addAll(result.indicators);
    process.stdout.write(`${file}: ${result.indicators.length} indicators, ${result.skipped} skipped\n`);
    for (const why of result.skippedExamples) process.stdout.write(`  skipped ${why}\n`);
  }
  const byType = new Map<string, number>();
  for (const i of set.values()) byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
  process.stdout.write(`${set.size} distinct indicators (${[...byType].map(([t, n]) => `${n} ${t}`).join(', ') || 'none'})\n`);
  if (dryRun) return 0;
  if (config.state.backend === 'memory') {
    throw new UsageError('state.backend is memory: an import would vanish with this process. Configure state.backend: redis, or list the feeds under enrich.intel.feeds (they are read by the pipeline itself); --dry-run checks the files.');
  }
  const state = await createStateStore(config);
  try {
    const progress = new Progress('intel import');
    const total = set.size;
    const result = await importIndicators(state, set.values(), { onProgress: (done) => progress.update({ done, total, unit: 'indicators' }) });
    progress.done({ done: result.count, total, unit: 'indicators' });
    process.stdout.write(result.skipped ? `another import is running; version ${result.version} stays current\n` : `imported ${result.count} indicators as version ${result.version}; workers switch on their next refresh\n`);
  } finally {
    await state.close();
  }
  return 0;
}

async function lookupCommand(values: string[], out: string, configPath: string | undefined): Promise<number> {
  if (values.length !== 1) throw new UsageError('give exactly one value to look up\nRun "nightjar intel --help" for usage.');
  if (!['table', 'json', 'csv'].includes(out)) throw new UsageError(`--format-out must be table, json or csv; got "${out}"`);
  const probe = probeForValue(values[0]!);
  if (!probe) throw new UsageError(`"${values[0]}" is not an address, domain, URL or hash`);
  const config = loadConfig(configPath, []);
  const fromStore = config.enrich.intel.backend === 'state-store';
  if (fromStore && config.state.backend === 'memory') {
    throw new UsageError('enrich.intel.backend is state-store but state.backend is memory: nothing outlives the pipeline to look up; configure redis');
  }
  const state = fromStore ? await createStateStore(config) : null;
  try {
    const lookup: IndicatorLookup = state
      ? new StateStoreIndicatorLookup(state)
      : memoryFeedLookup(config.enrich.intel.feeds.map((f) => ({ path: resolve(f.path), format: f.format, source: f.source })));
    await lookup.refresh();
    const found = (await lookup.getMany(probe.candidates)).filter((i): i is Indicator => i !== null);
    const range = probe.ip ? lookup.lookupRange(probe.ip) : null;
    if (range) found.push(range);
    process.stdout.write(
      formatRows(
        {
          columns: ['indicator', 'type', 'sources', 'confidence', 'first_seen', 'last_seen'],
          rows: found.map((i) => [i.value, i.type, i.sources.join(', '), i.confidence, fmtTime(i.first_seen), fmtTime(i.last_seen)]),
        },
        out as RowFormat,
      ),
    );
    return found.length > 0 ? 0 : 1;
  } finally {
    await state?.close();
  }
}

export async function intelCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(intelSpec, argv);
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    process.stdout.write(helpText(intelSpec));
    return values.help ? 0 : 2;
  }
  const configPath = values.config as string | undefined;
  if (sub === 'import') return importCommand(rest, values.format as string, Boolean(values['dry-run']), configPath);
  if (sub === 'lookup') return lookupCommand(rest, values['format-out'] as string, configPath);
  throw new UsageError(`unknown intel command "${sub}": expected import or lookup\nRun "nightjar intel --help" for usage.`);
}
