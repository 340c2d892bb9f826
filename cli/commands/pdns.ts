/**
 * `nightjar pdns NAME_OR_IP`: passive DNS for a name or an address: what the name resolved
 * to, and which names resolved to the address, with counts and first/last seen.
 *
 * From the realtime store (the state store the stream workers write, i.e. Redis in
 * scale-out) or from the lake (queries/passive_dns.sql through the SQL engine). The
 * embedded memory store lives only inside a running pipeline, so with `state.backend:
 * memory` the default source is the lake.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { type CommandSpec, type OptionSpec, parseCommand, positiveInt, UsageError, helpText } from '../args.js';
import { loadConfig } from '../config/load.js';
import { formatRows, type RowFormat } from '../format-rows.js';
import { createStateStore } from '../wire.js';
import { createSqlEngine } from '../wire-sql.js';
import type { SqlResult } from '../../warehouse/sql/port.js';
import { lookupPassiveDns, type PassiveDnsPair } from '../../stream/enrich/passive-dns-store.js';
import { normaliseQuery } from '../../stream/enrich/dns-answers.js';

export const pdnsSpec = {
  name: 'pdns',
  summary: 'passive DNS: the answers a name got and the names that resolved to an address',
  usage: 'nightjar pdns NAME_OR_IP [--format table|json|csv] [--from state|lake] [--limit N]',
  options: {
    format: { type: 'string', short: 'f', default: 'table' },
    from: { type: 'string' },
    limit: { type: 'string', short: 'n' },
    'data-dir': { type: 'string', short: 'd' },
  },
  optionHelp: {
    format: '--format, -f FMT     table (default), json (one object per line) or csv',
    from: '--from SOURCE        state (the realtime store; default with state.backend redis) or lake (SQL over the lake; default otherwise)',
    limit: '--limit, -n N        at most N pairs in each direction (default 100)',
    'data-dir': '--data-dir, -d DIR  where the local lake lives (default from config: ./data)',
  },
  examples: ['nightjar pdns dc01.pandalab.com', 'nightjar pdns 192.168.1.4 --format csv', 'nightjar pdns evil.example --from lake'],
} satisfies CommandSpec<OptionSpec>;

export const PDNS_COLUMNS = ['query', 'answer', 'count', 'first_seen', 'last_seen'];

/** The realtime store's pairs as rows for format-rows. */
export function pairsToResult(pairs: readonly PassiveDnsPair[]): SqlResult {
  return {
    columns: PDNS_COLUMNS,
    rows: pairs.map((p) => [p.query, p.answer, p.count, new Date(p.first_seen).toISOString(), new Date(p.last_seen).toISOString()]),
  };
}

/** queries/passive_dns.sql, found from the source tree and from the compiled dist/ tree alike. */
export function passiveDnsSql(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'queries', 'passive_dns.sql');
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    dir = path.dirname(dir);
  }
  throw new UsageError('queries/passive_dns.sql not found next to the installation');
}

/** The saved hunt restricted to one name or address, user input bound as parameters. */
export function lakeLookupSql(limit: number): string {
  const hunt = passiveDnsSql().replace(/;\s*$/, '');
  return `SELECT query, answer, count, first_seen, last_seen FROM (${hunt}) AS pdns WHERE query = ? OR answer = ? ORDER BY count DESC, query, answer LIMIT ${limit * 2}`;
}

export async function pdnsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(pdnsSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(pdnsSpec));
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one name or address\nRun "nightjar pdns --help" for usage.');
  const format = values.format as string;
  if (!['table', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be table, json or csv; got "${format}"`);
  const limit = positiveInt(values.limit as string | undefined, 'limit', 100);
  const config = loadConfig(values.config as string | undefined, [{ path: ['data_dir'], value: values['data-dir'] }]);
  const from = (values.from as string | undefined) ?? (config.state.backend === 'redis' ? 'state' : 'lake');
  if (from !== 'state' && from !== 'lake') throw new UsageError(`--from must be state or lake; got "${from}"`);
  const term = positionals[0]!;

  let result: SqlResult;
  if (from === 'state') {
    if (config.state.backend === 'memory') {
      throw new UsageError('the realtime passive DNS store is in memory inside the pipeline (state.backend: memory); use --from lake, or run with state.backend: redis');
    }
    const state = await createStateStore(config);
    try {
      result = pairsToResult(await lookupPassiveDns(state, term, limit));
    } finally {
      await state.close();
    }
  } else {
    const engine = await createSqlEngine(config);
    try {
      const key = normaliseQuery(term) ?? term.trim();
      result = await engine.query(lakeLookupSql(limit), [key, key]);
    } finally {
      await engine.close();
    }
  }
  process.stdout.write(formatRows(result, format as RowFormat));
  return 0;
}
