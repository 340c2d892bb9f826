/** `nightjar sql`: run SQL over the lake tables events, alerts and dead_letters. */
import { defineCommand, parseCommand, UsageError, helpText } from '../args.js';
import { loadConfig } from '../config/load.js';
import { formatRows, type RowFormat } from '../format-rows.js';
import { createSqlEngine } from '../wire-sql.js';

export const sqlSpec = defineCommand({
  name: 'sql',
  summary: 'run SQL over the lake (tables: events, alerts, dead_letters)',
  usage: 'nightjar sql "SELECT ..." [--format table|json|csv] [--engine duckdb|trino] [--data-dir DIR]',
  options: {
    format: { type: 'string', short: 'f', default: 'table' },
    engine: { type: 'string', short: 'e' },
    'data-dir': { type: 'string', short: 'd' },
  },
  optionHelp: {
    format: '--format, -f FMT     table (default), json (one object per line) or csv (header line, then one line per row)',
    engine: '--engine, -e NAME    duckdb (the local lake) or trino (Hive tables on S3); default from config',
    'data-dir': '--data-dir, -d DIR  where the local lake lives (default from config: ./data)',
  },
  examples: [
    'nightjar sql "SELECT host, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC LIMIT 10"',
    'nightjar sql --format csv "SELECT ts, host, process_path, command_line FROM events WHERE process = \'certutil.exe\'"',
    'nightjar sql "SELECT f.rule, f.reason FROM (SELECT unnest(flags) AS f FROM alerts) LIMIT 20"',
  ],
});

export async function sqlCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(sqlSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(sqlSpec));
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one SQL statement, quoted\nRun "nightjar sql --help" for usage.');
  const format = values.format as string;
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be table, json or csv; got "${format}"`);
  const config = loadConfig(values.config, [
    { path: ['data_dir'], value: values['data-dir'] },
    { path: ['sql', 'engine'], value: values.engine },
  ]);
  const engine = await createSqlEngine(config);
  try {
    const result = await engine.query(positionals[0]!);
    process.stdout.write(formatRows(result, format as RowFormat));
  } finally {
    await engine.close();
  }
  return 0;
}
