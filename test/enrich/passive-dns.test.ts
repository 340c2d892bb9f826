import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NightjarEvent } from '../../schema/types.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { normalise } from '../../stream/normalise/index.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { PassiveDnsStage } from '../../stream/enrich/passive-dns.js';
import { lookupPassiveDns, aggregatePairs, type PassiveDnsPair } from '../../stream/enrich/passive-dns-store.js';
import { parseDnsAnswers } from '../../stream/enrich/dns-answers.js';
import { LocalObjectStore } from '../../warehouse/objectstore/local.js';
import { LakeWriter } from '../../warehouse/lake/lake-writer.js';
import { HyparquetEncoder } from '../../warehouse/lake/parquet-file.js';
import { DuckDbEngine } from '../../warehouse/sql/duckdb.js';
import { lakeLookupSql, passiveDnsSql } from '../../cli/commands/pdns.js';
import { repoRoot, testdata } from '../testdata.js';
import { makeEvent } from '../fixtures/event.js';

describe('parseDnsAnswers', () => {
  it('reads Sysmon QueryResults as found in the shared Windows data', () => {
    expect(parseDnsAnswers('type:  5 wd-prod-cp.trafficmanager.net;type:  5 wd-prod-cp-us-west-1-fe.westus.cloudapp.azure.com;::ffff:104.40.17.153;'))
      .toEqual(['wd-prod-cp.trafficmanager.net', 'wd-prod-cp-us-west-1-fe.westus.cloudapp.azure.com', '104.40.17.153']);
    expect(parseDnsAnswers('fe80::5d91:ea18:e2b5:9755;::ffff:192.168.1.41;')).toEqual(['fe80::5d91:ea18:e2b5:9755', '192.168.1.41']);
    expect(parseDnsAnswers('type:  6 ;172.18.38.5;')).toEqual(['172.18.38.5']);
    expect(parseDnsAnswers('type:  6 ;')).toEqual([]);
    expect(parseDnsAnswers('-')).toEqual([]);
    expect(parseDnsAnswers('127.0.0.1;127.0.0.1;')).toEqual(['127.0.0.1']);
  });

  it('reads Zeek answers, TSV-joined or as a JSON array', () => {
    expect(parseDnsAnswers('DC01.pandalab.com.,192.168.1.4')).toEqual(['dc01.pandalab.com', '192.168.1.4']);
    expect(parseDnsAnswers(['a.example', '2001:DB8::1'])).toEqual(['a.example', '2001:db8::1']);
    expect(parseDnsAnswers('TXT 41 0.99.4:58:24416')).toEqual(['TXT 41 0.99.4:58:24416']);
    expect(parseDnsAnswers(null)).toEqual([]);
    expect(parseDnsAnswers('(empty)')).toEqual([]);
  });
});

describe('PassiveDnsStage', () => {
  it('keeps count, first and last seen per pair whatever the batch order', async () => {
    const state = new MemoryStateStore();
    const stage = new PassiveDnsStage(state, { retentionSeconds: 3_600, maxAnswersPerEvent: 64 });
    const dns = (ts: number, q: string, a: string) => makeEvent({ ts, event_type: 'dns_query', dns_query: q, dns_answers: a });
    await stage.run([dns(5_000, 'a.example', '10.0.0.1;10.0.0.2;'), dns(7_000, 'A.example.', '10.0.0.1')]);
    await stage.run([dns(1_000, 'a.example', '10.0.0.1'), dns(6_000, 'b.example', '10.0.0.1'), makeEvent({ dns_query: 'c.example' })]);
    expect(await lookupPassiveDns(state, 'a.example')).toEqual([
      { query: 'a.example', answer: '10.0.0.1', count: 3, first_seen: 1_000, last_seen: 7_000 },
      { query: 'a.example', answer: '10.0.0.2', count: 1, first_seen: 5_000, last_seen: 5_000 },
    ]);
    expect(await lookupPassiveDns(state, '10.0.0.1')).toEqual([
      { query: 'a.example', answer: '10.0.0.1', count: 3, first_seen: 1_000, last_seen: 7_000 },
      { query: 'b.example', answer: '10.0.0.1', count: 1, first_seen: 6_000, last_seen: 6_000 },
    ]);
    expect(await lookupPassiveDns(state, 'c.example')).toEqual([]);
  });
});

// ---- real data: the expected pairs are computed here from the raw files, independently of the pipeline

type Expected = Map<string, { count: number; first: number; last: number }>;

function addPair(into: Expected, query: string, answer: string, ts: number): void {
  const id = `${query} ${answer}`;
  const p = into.get(id);
  if (p) {
    p.count++;
    p.first = Math.min(p.first, ts);
    p.last = Math.max(p.last, ts);
  } else {
    into.set(id, { count: 1, first: ts, last: ts });
  }
}

const canonicalName = (s: string) => s.toLowerCase().replace(/\.+$/, '');

/** Zeek dns.log (TSV, or JSON lines as shipped) → pairs; times exact from the text (seconds.micro → ms, truncated). */
function expectedFromZeek(file: string, into: Expected): void {
  let cols: string[] = [];
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (line.startsWith('#fields\t')) cols = line.split('\t').slice(1);
    if (line === '' || line.startsWith('#')) continue;
    let query: string;
    let answers: string[];
    let tsText: string;
    if (line.startsWith('{')) {
      const r = JSON.parse(line) as { query?: string; answers?: string[]; ts: number };
      query = r.query ?? '-';
      answers = r.answers ?? [];
      tsText = String(r.ts);
    } else {
      const v = line.split('\t');
      const get = (name: string) => v[cols.indexOf(name)]!;
      query = get('query');
      answers = get('answers') === '-' || get('answers') === '(empty)' ? [] : get('answers').split(',');
      tsText = get('ts');
    }
    if (query === '-' || answers.length === 0) continue;
    const [sec, frac = ''] = tsText.split('.');
    const ts = Number(sec) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
    const seen = new Set(answers.map((a) => (a.startsWith('TXT ') ? a : canonicalName(a))));
    for (const a of seen) addPair(into, canonicalName(query), a, ts);
  }
}

/** Sysmon event 22 in the flat Windows JSON → pairs; time from UtcTime. */
function expectedFromSysmon(file: string, into: Expected): number {
  let n = 0;
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    if (String(r.EventID) !== '22' || !/sysmon/i.test(String(r.Channel))) continue;
    n++;
    const query = typeof r.QueryName === 'string' ? canonicalName(r.QueryName) : '';
    if (!query || typeof r.QueryResults !== 'string') continue;
    const ts = Date.parse(`${String(r.UtcTime).replace(' ', 'T')}Z`);
    const answers = new Set<string>();
    for (let piece of r.QueryResults.split(';')) {
      piece = piece.trim();
      const typed = /^type:\s+\d+\s*(.*)$/.exec(piece);
      if (typed) piece = typed[1]!.trim();
      if (piece === '' || piece === '-') continue;
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(piece);
      answers.add(mapped ? mapped[1]! : canonicalName(piece));
    }
    for (const a of answers) addPair(into, query, a, ts);
  }
  return n;
}

async function runThrough(inputs: string[], stage: PassiveDnsStage, keep: NightjarEvent[]): Promise<number> {
  let events = 0;
  for await (const b of readInputs(inputs, { format: 'auto', maxEventBytes: 1 << 20, batchSize: 1_000 })) {
    const batch: NightjarEvent[] = [];
    for (const raw of b.events) {
      try {
        batch.push(normalise(raw));
      } catch {
        // not a DNS concern: the normaliser's own tests cover its dead letters
      }
    }
    await stage.run(batch);
    events += batch.length;
    for (const e of batch) if (e.dns_query) keep.push(e);
  }
  return events;
}

function asPairs(expected: Expected): PassiveDnsPair[] {
  return [...expected].map(([id, p]) => {
    const [query, ...rest] = id.split(' ');
    return { query: query!, answer: rest.join(' '), count: p.count, first_seen: p.first, last_seen: p.last };
  });
}

describe('passive DNS over the shared Zeek and Windows data', () => {
  const zeekFiles = [
    testdata('zeek/lsass_campaign_01/dns.log.gz'),
    testdata('zeek/apt29_day1/NASHUA_dns.log.gz'),
    testdata('zeek/apt29_day1/SCRANTON_dns.log.gz'),
    testdata('zeek/brim/dns.log.gz'),
  ];
  const windowsDir = testdata('windows');
  const windowsFiles = readdirSync(windowsDir).filter((f) => f.endsWith('.json.gz')).map((f) => path.join(windowsDir, f));
  const expected: Expected = new Map();
  const state = new MemoryStateStore();
  const dnsEvents: NightjarEvent[] = [];
  let sysmon22 = 0;
  let sysmonDir: string;

  beforeAll(async () => {
    for (const f of zeekFiles) expectedFromZeek(f, expected);
    for (const f of windowsFiles) sysmon22 += expectedFromSysmon(f, expected);
    // The 109k Windows events are mostly not DNS: hand the parsers only the lines that look
    // like event 22, so the test stays quick. The expectation above reads every line, so a
    // line this shortcut missed would show up as a missing pair.
    sysmonDir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-sysmon22-'));
    for (const f of windowsFiles) {
      const lines = gunzipSync(readFileSync(f)).toString('utf8').split('\n').filter((l) => /"EventID":"?22"?[,}]/.test(l));
      await writeFile(path.join(sysmonDir, path.basename(f, '.gz')), lines.join('\n') + '\n');
    }
    const stage = new PassiveDnsStage(state, { retentionSeconds: 86_400 * 365 * 100, maxAnswersPerEvent: 1_000 });
    await runThrough([...zeekFiles, sysmonDir], stage, dnsEvents);
  }, 120_000);
  afterAll(async () => {
    await rm(sysmonDir, { recursive: true, force: true });
  });

  it('has the LSASS campaign\'s one resolution, with its count and time', async () => {
    const pairs = await lookupPassiveDns(state, '_ldap._tcp.default-first-site-name._sites.dc._msdcs.pandalab.com');
    expect(pairs).toEqual([{
      query: '_ldap._tcp.default-first-site-name._sites.dc._msdcs.pandalab.com', answer: 'dc01.pandalab.com',
      count: expected.get('_ldap._tcp.default-first-site-name._sites.dc._msdcs.pandalab.com dc01.pandalab.com')!.count,
      first_seen: expected.get('_ldap._tcp.default-first-site-name._sites.dc._msdcs.pandalab.com dc01.pandalab.com')!.first,
      last_seen: expected.get('_ldap._tcp.default-first-site-name._sites.dc._msdcs.pandalab.com dc01.pandalab.com')!.last,
    }]);
  });

  it('has every pair of every file with the count and first/last seen computed from the raw logs', async () => {
    expect(sysmon22).toBeGreaterThan(60); // the Windows files do contain Sysmon 22
    expect(expected.size).toBeGreaterThan(1_000);
    const byQuery = new Map<string, PassiveDnsPair[]>();
    for (const p of asPairs(expected)) byQuery.set(p.query, [...(byQuery.get(p.query) ?? []), p]);
    // Counts must match exactly. Times within 1 ms: the Zeek normaliser turns seconds into
    // milliseconds as floor(s * 1000 + 0.001), so a time ending in 999 µs comes out one
    // millisecond later than the truncation computed here.
    const mismatches: string[] = [];
    let exactTimes = 0;
    for (const [query, want] of byQuery) {
      const got = new Map((await lookupPassiveDns(state, query, 10_000)).filter((p) => p.query === query).map((p) => [p.answer, p]));
      if (got.size !== want.length) mismatches.push(`${query}: ${got.size} answers, want ${want.length}`);
      for (const w of want) {
        const g = got.get(w.answer);
        if (!g || g.count !== w.count || Math.abs(g.first_seen - w.first_seen) > 1 || Math.abs(g.last_seen - w.last_seen) > 1) {
          mismatches.push(`${query} → ${w.answer}: got ${JSON.stringify(g)} want ${JSON.stringify(w)}`);
        } else if (g.first_seen === w.first_seen && g.last_seen === w.last_seen) {
          exactTimes++;
        }
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(exactTimes / expected.size).toBeGreaterThan(0.99);
  });

  it('answers the reverse pivot: the names that resolved to the domain controller', async () => {
    const want = asPairs(expected).filter((p) => p.answer === '192.168.1.4');
    expect(want.length).toBeGreaterThan(0);
    const got = await lookupPassiveDns(state, '192.168.1.4', 10_000);
    expect(got.filter((p) => p.answer === '192.168.1.4').sort((a, b) => a.query.localeCompare(b.query)))
      .toEqual(want.sort((a, b) => a.query.localeCompare(b.query)));
  });

  describe('queries/passive_dns.sql over the lake', () => {
    let dir: string;
    let engine: DuckDbEngine;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-pdns-'));
      const store = await LocalObjectStore.create(path.join(dir, 'lake'));
      const writer = new LakeWriter({ store, encoder: new HyparquetEncoder(), tmpDir: path.join(dir, 'tmp') });
      await writer.write(dnsEvents, []);
      await writer.close();
      engine = await DuckDbEngine.create({ lakeDir: store.root, threads: 1 });
    }, 120_000);
    afterAll(async () => {
      await engine?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('computes the same pairs, counts and first/last seen as the realtime store', async () => {
      const result = await engine.query(passiveDnsSql());
      expect(result.columns).toEqual(['query', 'answer', 'count', 'first_seen', 'last_seen']);
      const fromLake = result.rows.map(([q, a, c, f, l]) => `${String(q)} ${String(a)} ${Number(c)} ${Date.parse(`${String(f)}${String(f).endsWith('Z') ? '' : 'Z'}`)} ${Date.parse(`${String(l)}${String(l).endsWith('Z') ? '' : 'Z'}`)}`);
      const fromStage = aggregatePairs(dnsEvents, 1_000).map((p) => `${p.query} ${p.answer} ${p.count} ${p.first_seen} ${p.last_seen}`);
      expect(fromLake.length).toBe(expected.size);
      expect(fromLake.sort()).toEqual(fromStage.sort());
    });

    it('answers `nightjar pdns --from lake` for a name and an address like the realtime store does', async () => {
      for (const term of ['dc01.pandalab.com', '192.168.1.4', 'www.paloaltonetworks.com']) {
        const lake = await engine.query(lakeLookupSql(1_000), [term, term]);
        const realtime = await lookupPassiveDns(state, term, 1_000);
        expect(realtime.length).toBeGreaterThan(0);
        const key = (q: unknown, a: unknown, c: unknown) => `${String(q)} ${String(a)} ${Number(c)}`;
        expect(lake.rows.map(([q, a, c]) => key(q, a, c)).sort()).toEqual(realtime.map((p) => key(p.query, p.answer, p.count)).sort());
      }
    });
  });
});

void repoRoot;
