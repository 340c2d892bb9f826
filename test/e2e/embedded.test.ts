/**
 * The embedded loop end to end on real telemetry: parse → normalise → enrich → count →
 * detect → Parquet lake → SQL. Counts are computed independently from the raw files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../cli/config/load.js';
import { lakeDir, runEmbedded, type RunTotals } from '../../cli/embedded-run.js';
import { DuckDbEngine } from '../../warehouse/sql/duckdb.js';
import { testdata } from '../testdata.js';

const MIMIKATZ = testdata('windows/empire_mimikatz_logonpasswords_2020-08-07103224.json.gz');
const ZEEK_DNS = testdata('zeek/lsass_campaign_01/dns.log.gz');

function nonEmptyLines(path: string): string[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l.trim() !== '');
}

describe('embedded pipeline on real Windows and Zeek telemetry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nightjar-e2e-'));
  const bad = join(dir, 'bad.json');
  let totals: RunTotals;
  let sql: DuckDbEngine;
  const windowsLines = nonEmptyLines(MIMIKATZ).length;
  const zeekRecords = nonEmptyLines(ZEEK_DNS).filter((l) => !l.startsWith('#')).length;
  const badLines = [
    '{"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational", "Hostname": "ws1"', // truncated JSON
    Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'), // not UTF-8 once written as latin1 bytes
    'this line is no format nightjar knows',
    JSON.stringify({ Channel: 'Security', EventID: 4624, Hostname: 'ws1', Padding: 'x'.repeat(80_000) }), // over the 64 KiB limit below
  ];

  beforeAll(async () => {
    writeFileSync(bad, Buffer.from(badLines.join('\n') + '\n', 'latin1'));
    const config = validateConfig({ data_dir: join(dir, 'data'), pipeline: { max_event_bytes: 65_536 } }, 'test', {});
    totals = await runEmbedded(config, [MIMIKATZ, ZEEK_DNS, bad], { format: 'auto', progressLabel: null });
    sql = await DuckDbEngine.create({ lakeDir: lakeDir(config), threads: 1 });
  }, 180_000);

  afterAll(async () => {
    await sql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scalar = async (q: string, params: (string | number)[] = []) => (await sql.query(q, params)).rows[0]![0];

  it('accounts for every record: read = landed + dead-lettered, in the summary and in the lake', async () => {
    expect(totals.read).toBe(windowsLines + zeekRecords + badLines.length);
    expect(totals.read).toBe(totals.landed + totals.deadLettered);
    expect(await scalar('SELECT count(*) FROM events')).toBe(totals.landed);
    expect(await scalar('SELECT count(*) FROM dead_letters')).toBe(totals.deadLettered);
  });

  it('dead-letters each bad line with its reason, stage and original bytes', async () => {
    const r = await sql.query(`SELECT origin_offset, code, stage, raw FROM dead_letters WHERE origin = ? ORDER BY origin_offset`, [bad]);
    expect(r.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      [1, 'MALFORMED_JSON', 'ingest'],
      [2, 'INVALID_UTF8', 'ingest'],
      [3, 'UNKNOWN_FORMAT', 'ingest'],
      [4, 'OVERSIZED_EVENT', 'ingest'],
    ]);
    const raws = r.rows.map((row) => Buffer.from(row[3] as string, 'base64'));
    expect(raws[0]!.toString('latin1')).toBe(badLines[0]);
    expect(raws[1]!.equals(Buffer.from(badLines[1]!, 'latin1'))).toBe(true);
    expect(raws[2]!.toString('latin1')).toBe(badLines[2]);
  });

  it('lands the Windows events under Hive partitions with their source fields and common fields', async () => {
    expect(await scalar(`SELECT count(*) FROM events WHERE origin = ?`, [MIMIKATZ])).toBe(windowsLines);
    expect(await scalar(`SELECT count(DISTINCT dt) FROM events WHERE source = 'windows'`)).toBeGreaterThan(0);
    expect(await scalar(`SELECT count(*) FROM events WHERE origin = ? AND fields['EventID'] IS NULL`, [MIMIKATZ])).toBe(0);
  });

  it('names the process that accessed lsass.exe, on its host', async () => {
    const r = await sql.query(
      `SELECT process_path, host, process_id FROM events
        WHERE event_code = 10 AND lower(target_process_path) LIKE '%\\lsass.exe' AND process = 'powershell.exe'`,
    );
    expect(r.rows).toEqual([['C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'workstation5', 1648]]);
    // Sysmon 10 of this era carries no user; the same process's network events do
    const users = await sql.query(`SELECT DISTINCT user_domain, "user" FROM events WHERE host = 'workstation5' AND process_id = 1648 AND "user" IS NOT NULL`);
    expect(users.rows).toEqual([['THESHIRE', 'pgustavo']]);
  });

  it('lands the Zeek DNS records with their queries', async () => {
    expect(await scalar(`SELECT count(*) FROM events WHERE dataset = 'zeek.dns'`)).toBe(zeekRecords);
    expect(await scalar(`SELECT count(*) FROM events WHERE dataset = 'zeek.dns' AND dns_query IS NULL AND fields['query'] IS NOT NULL`)).toBe(0);
  });

  it('keeps alerts to a small fraction of events, each flag with a rule, a score and a reason', async () => {
    const flagged = (await scalar('SELECT count(*) FROM alerts')) as number;
    expect(flagged).toBe(totals.flaggedEvents);
    expect(flagged).toBeGreaterThan(0);
    expect(flagged / totals.landed).toBeLessThan(0.03);
    expect(await scalar(`SELECT count(*) FROM (SELECT unnest(flags) AS f FROM alerts) WHERE f.rule = '' OR f.reason = '' OR f.score NOT BETWEEN 1 AND 100`)).toBe(0);
  });
});
