/**
 * `nightjar baselines [build|load] [--engine duckdb|trino]`: builds the rarity
 * baselines over the lake with dbt, loads them into the state store as a new live
 * version, or (no action) both.
 */
import { defineCommand, parseCommand, UsageError, helpText } from '../args.js';
import { loadConfig } from '../config/load.js';
import { createStateStore } from '../wire.js';
import { baselineEngine, buildFromConfig, describeLoad, loadFromConfig } from '../wire-baselines.js';
import { Progress } from '../progress.js';

export const baselinesSpec = defineCommand({
  name: 'baselines',
  summary: 'build rarity baselines over the lake with dbt and load them into the state store',
  usage: 'nightjar baselines [build|load] [--engine duckdb|trino] [--days N] [--as-of YYYY-MM-DD] [--data-dir DIR]',
  options: {
    engine: { type: 'string', short: 'e' },
    days: { type: 'string' },
    'as-of': { type: 'string' },
    'data-dir': { type: 'string', short: 'd' },
    quiet: { type: 'boolean', short: 'q' },
  },
  optionHelp: {
    engine: '--engine, -e NAME    duckdb (local lake, baselines as Parquet) or trino (Hive tables); default baselines.engine, else sql.engine',
    days: '--days N             look-back window in days (default baselines.days: 30)',
    'as-of': '--as-of YYYY-MM-DD  exclusive end of the window (default: tomorrow, so today counts)',
    'data-dir': '--data-dir, -d DIR  where the local lake and the baselines live (default from config: ./data)',
    quiet: "--quiet, -q          do not echo dbt's progress lines",
  },
  examples: ['nightjar baselines', 'nightjar baselines build --engine trino --days 14', 'nightjar baselines load'],
});

export async function baselinesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(baselinesSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(baselinesSpec));
    return 0;
  }
  const action = positionals[0] ?? 'all';
  if (positionals.length > 1 || !['all', 'build', 'load'].includes(action)) {
    throw new UsageError(`expected "build", "load" or nothing (both), got "${positionals.join(' ')}"\nRun "nightjar baselines --help" for usage.`);
  }
  const days = values.days === undefined ? undefined : Number(values.days);
  const config = loadConfig(values.config, [
    { path: ['data_dir'], value: values['data-dir'] },
    { path: ['baselines', 'engine'], value: values.engine },
    { path: ['baselines', 'days'], value: days },
    { path: ['baselines', 'as_of'], value: values['as-of'] },
  ]);
  const engine = baselineEngine(config);
  const err = process.stderr;

  if (action !== 'load') {
    err.write(`building baselines with dbt on ${engine} (window ${config.baselines.days} days${config.baselines.as_of ? ` to ${config.baselines.as_of}` : ''})\n`);
    const built = await buildFromConfig(config, engine, values.quiet ? undefined : (line) => err.write(`  dbt | ${line}\n`));
    err.write(`built in ${built.seconds.toFixed(1)} s\n`);
  }
  if (action !== 'build') {
    const state = await createStateStore(config);
    const progress = new Progress('loading baselines');
    try {
      const loaded = await loadFromConfig(config, engine, state, (written) => progress.update({ done: written, total: null, unit: 'keys' }));
      progress.done({ done: loaded.keys, total: loaded.keys, unit: 'keys' });
      process.stdout.write(`${describeLoad(loaded)}\n`);
      if (config.state.backend === 'memory') {
        err.write('note: state.backend is memory, so this version lives only in this process; the demo and `nightjar run` with state.backend redis keep it\n');
      }
    } finally {
      await state.close();
    }
  }
  return 0;
}
