// The context enrichments on real telemetry: the metasploit LSASS-dump recording runs
// through normalise → intel → vulns → prevalence, with indicators and a scan planted from
// values read out of the recording itself. Expected counts come from the raw JSON,
// computed here independently of the normaliser and the stages.
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Pipeline } from '../../stream/pipeline.js';
import { normalise } from '../../stream/normalise/index.js';
import { IntelStage } from '../../stream/enrich/intel-stage.js';
import { memoryFeedLookup } from '../../stream/enrich/intel/feed-lookups.js';
import { VulnsStage } from '../../stream/enrich/vulns-stage.js';
import { ScanFiles } from '../../stream/enrich/vulns/scan-files.js';
import { PrevalenceStage } from '../../stream/enrich/prevalence-stage.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { readInputs } from '../../ingest/read-inputs.js';
import type { NightjarEvent } from '../../schema/types.js';
import { eventType } from '../../schema/avro.js';
import { withDefaults } from '../../warehouse/lake/defaults.js';
import { testdata } from '../testdata.js';

const FILE = testdata('windows', 'metasploit_logonpasswords_lsass_memory_dump.json.gz');

type Raw = Record<string, unknown>;
const rawEvents: Raw[] = gunzipSync(readFileSync(FILE))
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Raw);
const isSysmon = (r: Raw, id: number) => String(r.Channel).toLowerCase().includes('sysmon') && Number(r.EventID) === id;
const sha256Of = (r: Raw) => /SHA256=([0-9A-Fa-f]{64})/.exec(String(r.Hashes ?? ''))?.[1]?.toLowerCase() ?? null;

// The planted hash: the SHA256 of a real process start that occurs more than once, but rarely.
const hashCounts = new Map<string, number>();
for (const r of rawEvents) {
  const h = sha256Of(r);
  if (h) hashCounts.set(h, (hashCounts.get(h) ?? 0) + 1);
}
const planted = [...new Set(rawEvents.filter((r) => isSysmon(r, 1)).map(sha256Of).filter((h): h is string => h !== null))]
  .filter((h) => hashCounts.get(h)! >= 2)
  .sort((a, b) => hashCounts.get(a)! - hashCounts.get(b)! || a.localeCompare(b))[0]!;

// The planted range: the /24 of a real connection's private destination (10.0.5.x here).
const IP_FIELDS = ['SourceIp', 'SourceAddress', 'IpAddress', 'DestinationIp', 'DestAddress'];
const conn = rawEvents.find((r) => isSysmon(r, 3) && String(r.DestinationIp).startsWith('10.'))!;
const prefix = String(conn.DestinationIp).split('.').slice(0, 3).join('.');
// The planted domain: the registered parent of a real DNS query.
const query = String(rawEvents.find((r) => isSysmon(r, 22) && /\.[a-z]+\.com$/i.test(String(r.QueryName)))!.QueryName).toLowerCase();
const parent = query.split('.').slice(-2).join('.');
// The planted scan finding: a real connection's destination service.
const service = { ip: String(conn.DestinationIp), port: Number(conn.DestinationPort) };

describe('context enrichments on the metasploit LSASS recording', () => {
  let events: NightjarEvent[] = [];
  let deadLetters = 0;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-real-'));
    writeFileSync(join(dir, 'planted.stix.json'), JSON.stringify({
      type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001',
      objects: [{
        type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-000000000002', created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z',
        pattern_type: 'stix', valid_from: '2020-01-01T00:00:00Z', confidence: 60, pattern: `[file:hashes.'SHA-256' = '${planted.toUpperCase()}']`,
      }],
    }));
    writeFileSync(join(dir, 'planted.otx.json'), JSON.stringify({ name: 'planted', indicators: [{ indicator: `${prefix}.0/24`, type: 'CIDR' }] }));
    writeFileSync(join(dir, 'planted.misp.json'), JSON.stringify({ Event: { date: '2020-01-01', threat_level_id: '2', Attribute: [{ type: 'domain', value: parent, to_ids: true }] } }));
    writeFileSync(join(dir, 'planted.nmap.xml'), `<nmaprun><host><address addr="${service.ip}" addrtype="ipv4"/><ports><port protocol="tcp" portid="${service.port}"><state state="open"/><service name="x"/><script id="vulners" output="  CVE-2020-0796 10.0 https://vulners.com/cve/CVE-2020-0796"/></port></ports></host></nmaprun>`);

    const intel = memoryFeedLookup(['planted.stix.json', 'planted.otx.json', 'planted.misp.json'].map((f) => ({ path: join(dir, f), format: 'auto' as const })));
    const scans = new ScanFiles([join(dir, 'planted.nmap.xml')], 60_000);
    const pipeline = new Pipeline(normalise, [
      new IntelStage(intel, { refreshMs: 60_000, cacheSize: 0 }),
      new VulnsStage(() => scans.current()),
      new PrevalenceStage(new MemoryStateStore(), 7),
    ]);
    for await (const batch of readInputs([FILE], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
      const out = await pipeline.process(batch.events);
      events.push(...out.events);
      deadLetters += out.deadLetters.length + batch.deadLetters.length;
    }
  });

  it('loses nothing: every record is an event or a dead letter', () => {
    expect(events.length + deadLetters).toBe(rawEvents.length);
    expect(deadLetters).toBe(0);
  });

  it('a real SHA256 planted in a STIX bundle flags exactly the events carrying it', () => {
    const expected = rawEvents.filter((r) => sha256Of(r) === planted).length;
    expect(expected).toBe(hashCounts.get(planted));
    const flagged = events.filter((e) => e.intel?.some((m) => m.type === 'sha256'));
    expect(flagged).toHaveLength(expected);
    for (const e of flagged) {
      expect(e.sha256).toBe(planted);
      expect(e.intel).toContainEqual(expect.objectContaining({ indicator: planted, field: 'sha256', sources: ['planted.stix.json'], confidence: 60 }));
      expect(e.flags.some((f) => f.rule === 'threat_intel_match' && f.reason.includes(planted))).toBe(true);
    }
  });

  it('a planted range flags exactly the events with an address inside it', () => {
    const expected = rawEvents.filter((r) => IP_FIELDS.some((f) => String(r[f] ?? '').startsWith(`${prefix}.`))).length;
    expect(expected).toBeGreaterThan(0);
    expect(events.filter((e) => e.intel?.some((m) => m.type === 'cidr')).length).toBe(expected);
  });

  it('a planted parent domain flags the queries for its subdomains and only those', () => {
    const expected = rawEvents.filter((r) => [r.QueryName, r.DestinationHostname].some((v) => {
      const q = String(v ?? '').toLowerCase().replace(/\.$/, '');
      return q === parent || q.endsWith(`.${parent}`);
    })).length;
    expect(expected).toBeGreaterThan(0);
    const flagged = events.filter((e) => e.intel?.some((m) => m.type === 'domain'));
    expect(flagged.length).toBe(expected);
    expect(flagged.every((e) => e.intel!.some((m) => m.indicator === parent && m.sources[0] === 'planted.misp.json'))).toBe(true);
    // nothing else in the recording matches any planted indicator
    expect(events.filter((e) => e.flags.some((f) => f.rule === 'threat_intel_match')).length).toBe(
      events.filter((e) => (e.intel ?? []).length > 0).length,
    );
  });

  it('a planted scan finding flags the connections to that service', () => {
    const expected = rawEvents.filter((r) => String(r.DestinationIp ?? r.DestAddress) === service.ip && Number(r.DestinationPort ?? r.DestPort) === service.port).length;
    const flagged = events.filter((e) => e.flags.some((f) => f.rule === 'exploitable_service'));
    expect(flagged.length).toBe(expected);
    expect(flagged[0]!.vulns).toEqual([{ cve: 'CVE-2020-0796', cvss: 10, plugin: 'nmap:vulners', name: 'x', port: service.port, scanner: 'nmap' }]);
    expect(flagged[0]!.flags.find((f) => f.rule === 'exploitable_service')!.reason).toContain(`${service.ip}:${service.port}`);
  });

  it('every enriched event is still valid against the Avro schema', () => {
    const enriched = events.filter((e) => e.intel?.length || e.vulns?.length || e.prevalence);
    expect(enriched.length).toBeGreaterThan(1_000);
    const invalid = enriched.filter((e) => !eventType.isValid(withDefaults('events', e)));
    expect(invalid.map((e) => e.origin_offset)).toEqual([]);
  });

  it('prevalence of every executed hash matches the raw counts of executions, hosts and users', () => {
    const raw = new Map<string, { n: number; hosts: Set<string>; users: Set<string> }>();
    for (const r of rawEvents.filter((x) => isSysmon(x, 1))) {
      const h = sha256Of(r);
      if (!h) continue;
      const agg = raw.get(h) ?? { n: 0, hosts: new Set(), users: new Set() };
      agg.n++;
      agg.hosts.add(String(r.Hostname).split('.')[0]!.toLowerCase());
      if (r.User) agg.users.add(String(r.User).toLowerCase());
      raw.set(h, agg);
    }
    const last = new Map<string, NightjarEvent>();
    for (const e of events) if (e.event_type === 'process_start' && e.prevalence) last.set(e.prevalence.hash, e);
    expect(last.size).toBe(raw.size);
    for (const [h, agg] of raw) {
      expect(last.get(h)!.prevalence, h).toEqual({ hash: h, count: agg.n, hosts: agg.hosts.size, users: agg.users.size, window_days: 7 });
    }
  });
});
