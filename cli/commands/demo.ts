/**
 * `nightjar demo` (what `npm start` runs): generates a synthetic enterprise over several
 * days with an attack planted on the last one, runs the embedded loop day by day on one
 * state, and shows what was flagged, whether each planted step was caught, and how to
 * query the lake.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineCommand, parseCommand, helpText, positiveInt } from '../args.js';
import { loadConfig } from '../config/load.js';
import { runEmbedded, emptyTotals, lakeDir } from '../embedded-run.js';
import { formatSummary, sampleSqlCommand } from '../summary.js';
import { createStateStore } from '../wire.js';
import { generateEnterprise } from '../../ingest/synthetic/generate.js';
import { Progress } from '../progress.js';
import { checkPlanted } from '../planted-check.js';
import { demoBaselines } from '../demo-baselines.js';

export const demoSpec = defineCommand({
  name: 'demo',
  summary: 'generate a synthetic enterprise, run the whole loop on it, and show what was flagged',
  usage: 'nightjar demo [--days N] [--events-per-day N] [--seed N] [--data-dir DIR]',
  options: {
    days: { type: 'string' },
    'events-per-day': { type: 'string', short: 'n' },
    seed: { type: 'string' },
    'data-dir': { type: 'string', short: 'd' },
  },
  optionHelp: {
    days: '--days N             days of activity; the attack is planted on the last (default 3, at least 2)',
    'events-per-day': '--events-per-day, -n N  events per day (default 20000)',
    seed: '--seed N             random seed; the same seed gives the same enterprise (default 7)',
    'data-dir': '--data-dir, -d DIR  parent folder; the demo writes to DIR/demo and replaces it (default ./data)',
  },
  examples: ['npm start', 'npx nightjar demo --days 7 --events-per-day 200000'],
});

export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(demoSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(demoSpec));
    return 0;
  }
  const days = Math.max(2, positiveInt(values.days, 'days', 3));
  const eventsPerDay = positiveInt(values['events-per-day'], 'events-per-day', 20_000);
  const seed = positiveInt(values.seed, 'seed', 7);
  const base = loadConfig(values.config, [{ path: ['data_dir'], value: values['data-dir'] }]);
  // The demo owns DIR/demo: it replaces it on every run so the lake holds exactly this run.
  const demoDir = resolve(base.data_dir, 'demo');
  // The demo is the embedded stack: its own local lake, DuckDB, whatever the file says.
  const config = loadConfig(values.config, [
    { path: ['data_dir'], value: demoDir },
    { path: ['lake', 'backend'], value: 'local' },
    { path: ['sql', 'engine'], value: 'duckdb' },
  ]);
  await rm(demoDir, { recursive: true, force: true });

  const out = process.stdout;
  out.write(`Nightjar demo: ${days} days of a synthetic enterprise, ${eventsPerDay.toLocaleString('en-US')} events a day, attack planted on day ${days}\n\n`);
  const genProgress = new Progress('generating');
  // The fleet grows with the volume, so each host has a realistic day of activity
  // (about 75 events) whatever size is asked for: 20,000 a day is ~270 hosts.
  const hosts = Math.min(5_000, Math.max(30, Math.round(eventsPerDay / 75)));
  const manifest = await generateEnterprise({
    outDir: join(demoDir, 'input'),
    days,
    eventsPerDay,
    hosts,
    users: Math.round(hosts * 1.15),
    seed,
    plantAttackOnLastDay: true,
    onProgress: (done: number, total: number) => genProgress.update({ done, total, unit: 'events' }),
  });
  genProgress.done({ done: manifest.totalEvents, total: manifest.totalEvents, unit: 'events' });

  const state = await createStateStore(config);
  const history = emptyTotals();
  const lastDay = emptyTotals();
  try {
    for (const [i, day] of manifest.days.entries()) {
      const isLast = i === manifest.days.length - 1;
      // Baselines over the history days, loaded before the last day runs (issue 5).
      if (isLast) await demoBaselines(config, state, { asOf: day.date, days: days - 1 }, out);
      await runEmbedded(config, [day.dir], { format: 'auto', state, totals: isLast ? lastDay : history, progressLabel: `day ${i + 1}/${days}` });
    }
  } finally {
    await state.close();
  }

  out.write(`\nHistory (days 1-${days - 1}): ${history.read.toLocaleString('en-US')} events, ${history.flaggedEvents.toLocaleString('en-US')} flagged while learning what is normal\n`);
  out.write(`\nDay ${days}, the attack day:\n`);
  out.write(formatSummary(lastDay, { lake: lakeDir(config) }) + '\n');

  const checks = await checkPlanted(config, manifest.planted);
  out.write('\nPlanted attack steps:\n');
  for (const c of checks) out.write(`  ${c.caught ? '✔ caught' : '✘ missed'}  ${c.name}: ${c.description}${c.caught ? `\n             → ${c.rule}: ${c.reason}` : ''}\n`);
  out.write(`\nTry:\n  ${sampleSqlCommand(config.data_dir)}\n`);
  out.write(`  npx nightjar sql --data-dir ${config.data_dir} "SELECT ts, host, \\"user\\", command_line FROM events WHERE process = 'certutil.exe'"\n`);
  return 0;
}
