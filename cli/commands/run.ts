/** `nightjar run`: process files, folders or stdin through the embedded pipeline into the local lake. */
import { defineCommand, parseCommand, UsageError, helpText, inputFormat, INPUT_HELP } from '../args.js';
import { loadConfig } from '../config/load.js';
import { runEmbedded } from '../embedded-run.js';
import { lakeLocation } from '../wire-store.js';
import { formatSummary, sampleSqlCommand } from '../summary.js';


export const runSpec = defineCommand({
  name: 'run',
  summary: 'process files, folders or stdin through the embedded pipeline into the local lake',
  usage: 'nightjar run --input PATH [--input PATH ...] [--format auto|windows_flat|windows_evtx|zeek|auditd|syslog] [--data-dir DIR]',
  options: {
    input: { type: 'string', short: 'i', multiple: true },
    format: { type: 'string', short: 'f', default: 'auto' },
    'data-dir': { type: 'string', short: 'd' },
  },
  optionHelp: {
    ...INPUT_HELP,
    'data-dir': '--data-dir, -d DIR  where the lake lives (default from config: ./data)',
  },
  examples: [
    'nightjar run --input ../shared/testdata/windows',
    'zcat events.json.gz | nightjar run --input - --format windows_flat',
  ],
});

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(runSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(runSpec));
    return 0;
  }
  const inputs = [...(values.input ?? []), ...positionals];
  if (inputs.length === 0) throw new UsageError('nothing to process: give at least one --input PATH (or - for stdin)\nRun "nightjar run --help" for usage.');
  const format = inputFormat(values.format);
  const config = loadConfig(values.config, [{ path: ['data_dir'], value: values['data-dir'] }]);
  const totals = await runEmbedded(config, inputs, { format });
  process.stdout.write(formatSummary(totals, { lake: lakeLocation(config) }) + '\n');
  process.stdout.write(`\nQuery it:  ${sampleSqlCommand(config.data_dir)}\n`);
  return 0;
}
