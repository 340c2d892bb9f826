import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEnterprise, type SyntheticManifest } from '../../ingest/synthetic/index.js';
import { keysOf, readLines, readWindows, readZeek, type WinRecord } from './read-output.js';

const tmp = mkdtempSync(join(tmpdir(), 'nightjar-synthetic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const small = { days: 3, eventsPerDay: 4000, hosts: 60, users: 80, seed: 42 };

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

describe('synthetic enterprise: a small three-day history with the attack on the last day', () => {
  let m: SyntheticManifest;
  let win: WinRecord[][];
  beforeAll(async () => {
    m = await generateEnterprise({ outDir: join(tmp, 'a'), ...small });
    win = m.days.map((d) => readWindows(d.windowsFile));
  });

  it('is deterministic: the same seed gives identical bytes, another seed does not', async () => {
    const again = await generateEnterprise({ outDir: join(tmp, 'b'), ...small });
    const other = await generateEnterprise({ outDir: join(tmp, 'c'), ...small, seed: 43 });
    const a = filesUnder(join(tmp, 'a')).filter((f) => !f.endsWith('manifest.json'));
    const b = filesUnder(join(tmp, 'b')).filter((f) => !f.endsWith('manifest.json'));
    expect(a.map((f) => f.slice(join(tmp, 'a').length))).toEqual(b.map((f) => f.slice(join(tmp, 'b').length)));
    for (let i = 0; i < a.length; i++) expect(readFileSync(a[i]!).equals(readFileSync(b[i]!)), a[i]).toBe(true);
    expect(again.planted).toEqual(m.planted);
    expect(readFileSync(other.days[0]!.windowsFile).equals(readFileSync(m.days[0]!.windowsFile))).toBe(false);
  });

  it('writes the day folders and counts in the manifest, header lines excluded', () => {
    expect(m.days).toHaveLength(3);
    let total = 0;
    for (const [i, d] of m.days.entries()) {
      expect(d.dir).toBe(resolve(tmp, 'a', `day-${i + 1}`));
      const w = readLines(d.windowsFile).length;
      const c = readZeek(d.zeekConnFile).rows.length;
      const n = readZeek(d.zeekDnsFile).rows.length;
      expect(d.counts).toEqual({ windows: w, zeekConn: c, zeekDns: n });
      expect(d.events).toBe(w + c + n);
      total += d.events;
    }
    expect(m.totalEvents).toBe(total);
    const onDisk = JSON.parse(readFileSync(join(tmp, 'a', 'manifest.json'), 'utf8')) as SyntheticManifest;
    expect(onDisk.totalEvents).toBe(total);
    expect(onDisk.planted).toEqual(m.planted);
  });

  it('writes every Windows line as flat NXLog-style JSON with the fields of its event', () => {
    const need: Record<number, string[]> = {
      1: ['UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'CommandLine', 'ParentImage', 'ParentCommandLine', 'ParentProcessGuid', 'User', 'Hashes', 'IntegrityLevel', 'LogonId'],
      3: ['UtcTime', 'Image', 'User', 'Protocol', 'SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort'],
      11: ['UtcTime', 'Image', 'TargetFilename'],
      12: ['UtcTime', 'Image', 'TargetObject', 'EventType'],
      13: ['UtcTime', 'Image', 'TargetObject', 'Details'],
      22: ['UtcTime', 'Image', 'QueryName', 'QueryStatus', 'QueryResults'],
      4624: ['TargetUserName', 'TargetDomainName', 'TargetUserSid', 'LogonType', 'IpAddress', 'WorkstationName', 'AuthenticationPackageName'],
      4625: ['TargetUserName', 'LogonType', 'IpAddress', 'WorkstationName', 'Status', 'SubStatus'],
      4672: ['SubjectUserName', 'SubjectUserSid', 'PrivilegeList'],
      7045: ['ServiceName', 'ImagePath'],
    };
    const seen = new Set<number>();
    for (const r of win.flat()) {
      expect(r.EventTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(r['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(r.Hostname).toMatch(/^[A-Z0-9-]+\.corp\.example\.com$/);
      const fields = need[r.EventID];
      expect(fields, `unexpected EventID ${r.EventID}`).toBeDefined();
      for (const f of fields!) expect(typeof r[f], `${r.EventID} ${f}`).toBe('string');
      if (r.EventID === 1) expect(r['Hashes']).toMatch(/^SHA1=[0-9A-F]{40},MD5=[0-9A-F]{32},SHA256=[0-9A-F]{64},IMPHASH=[0-9A-F]{32}$/);
      if ('UtcTime' in r) expect(r['UtcTime']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
      seen.add(r.EventID);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 3, 11, 12, 13, 22, 4624, 4625, 4672, 7045]);
  });

  it('keeps the raw number of the Keywords mask exactly as the agent writes it', () => {
    const line = readLines(m.days[0]!.windowsFile).find((l) => l.includes('"Channel":"Microsoft-Windows-Sysmon/Operational"'));
    expect(line).toMatch(/,"Keywords":-9223372036854775808}$/);
  });

  it('gives one hash per image and a parent GUID that is a real process GUID on that host', () => {
    const hashOf = new Map<string, string>();
    for (const r of win.flat()) {
      if (r.EventID !== 1) continue;
      const image = String(r['Image']).toLowerCase();
      const prev = hashOf.get(image);
      if (prev) expect(r['Hashes'], image).toBe(prev);
      else hashOf.set(image, String(r['Hashes']));
    }
    expect(hashOf.size).toBeGreaterThan(30);
    // The ParentProcessGuid of a shell is the GUID of the userinit.exe started just before.
    const day = win[0]!;
    const guids = new Set(day.filter((r) => r.EventID === 1).map((r) => `${r.Hostname}|${String(r['ProcessGuid'])}`));
    const explorers = day.filter((r) => r.EventID === 1 && String(r['Image']).toLowerCase().endsWith('\\explorer.exe'));
    expect(explorers.length).toBeGreaterThan(10);
    for (const e of explorers) expect(guids.has(`${e.Hostname}|${String(e['ParentProcessGuid'])}`)).toBe(true);
  });

  it('writes Zeek TSV with the real header lines and one value per field on every row', () => {
    for (const d of m.days) {
      for (const [file, path] of [[d.zeekConnFile, 'conn'], [d.zeekDnsFile, 'dns']] as const) {
        const z = readZeek(file);
        expect(z.header.slice(0, 5)).toEqual(['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`]);
        expect(z.header[5]).toMatch(/^#open\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
        expect(z.fields[0]).toBe('ts');
        expect(z.types).toHaveLength(z.fields.length);
        expect(z.footer).toHaveLength(1);
        expect(z.footer[0]).toMatch(/^#close\t/);
        for (const row of z.rows) expect(row).toHaveLength(z.fields.length);
        let last = 0;
        for (const row of z.rows) {
          const ts = Number(row[0]);
          expect(ts).toBeGreaterThanOrEqual(last);
          last = ts;
        }
      }
    }
  });

  it('streams Windows events in time order', () => {
    for (const day of win) {
      let last = '';
      for (const r of day) {
        expect(r.EventTime >= last).toBe(true);
        last = r.EventTime as string;
      }
    }
  });

  it('plants every key of every attack step on the last day and on no earlier day', () => {
    expect(m.planted.map((p) => p.name)).toEqual(['password_spray', 'rare_parent_child', 'lolbin_download', 'lateral_movement', 'first_time_server_logon']);
    const keysPerDay = m.days.map((d, i) => keysOf(win[i]!, readZeek(d.zeekConnFile)));
    for (const step of m.planted) {
      expect(step.day).toBe(2);
      expect(step.keys.length).toBeGreaterThan(0);
      for (const k of step.keys) {
        const key = `${k.kind}|${k.key}`;
        expect(keysPerDay[2]!.has(key), `${step.name}: ${key} on the attack day`).toBe(true);
        expect(keysPerDay[0]!.has(key) || keysPerDay[1]!.has(key), `${step.name}: ${key} before the attack`).toBe(false);
      }
    }
  });

  it('writes the spray as many failed users from one address, then one success', () => {
    const spray = m.planted.find((p) => p.name === 'password_spray')!;
    const src = spray.keys[0]!.key.split('>')[0]!;
    const fromSpray = win[2]!.filter((r) => r['IpAddress'] === src);
    const failed = fromSpray.filter((r) => r.EventID === 4625);
    expect(new Set(failed.map((r) => r['TargetUserName'])).size).toBeGreaterThanOrEqual(30);
    expect(failed.filter((r) => r['Status'] === '0xc000006d' && r['SubStatus'] === '0xc000006a').length).toBeGreaterThanOrEqual(30);
    const ok = fromSpray.filter((r) => r.EventID === 4624);
    expect(ok.map((r) => r['TargetUserName'])).toEqual([spray.user]);
    const times = failed.map((r) => Date.parse(String(r['@timestamp'])));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(5 * 60_000);
    for (const day of win.slice(0, 2)) expect(day.some((r) => r['IpAddress'] === src)).toBe(false);
  });
});

describe('synthetic enterprise: volumes and population', () => {
  it('scales with eventsPerDay and plants nothing when asked not to', async () => {
    const lo = await generateEnterprise({ outDir: join(tmp, 'lo'), days: 1, eventsPerDay: 3000, hosts: 40, users: 50, plantAttackOnLastDay: false });
    const hi = await generateEnterprise({ outDir: join(tmp, 'hi'), days: 1, eventsPerDay: 12000, hosts: 40, users: 50, plantAttackOnLastDay: false });
    expect(lo.planted).toEqual([]);
    expect(Math.abs(lo.totalEvents - 3000)).toBeLessThan(3000 * 0.02);
    expect(Math.abs(hi.totalEvents - 12000)).toBeLessThan(12000 * 0.02);
    const text = readFileSync(lo.days[0]!.windowsFile, 'utf8');
    expect(text).not.toContain('certutil');
    expect(text).not.toContain('175.16.199.');
  });

  it('has hundreds of hosts and users, busy working hours, quiet nights, and GeoIP-known external addresses', async () => {
    const m = await generateEnterprise({ outDir: join(tmp, 'big'), eventsPerDay: 25_000, gzip: true, plantAttackOnLastDay: false });
    const day = m.days[0]!;
    expect(day.windowsFile.endsWith('.gz')).toBe(true);
    const win = gunzipSync(readFileSync(day.windowsFile)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as WinRecord);
    expect(win.length).toBe(day.counts.windows);
    expect(new Set(win.map((r) => r.Hostname)).size).toBeGreaterThanOrEqual(250);
    const people = new Set(win.filter((r) => r.EventID === 4624 && !String(r['TargetUserName']).endsWith('$') && r['TargetUserName'] !== 'SYSTEM').map((r) => r['TargetUserName']));
    expect(people.size).toBeGreaterThanOrEqual(250);

    const perHour = new Array<number>(24).fill(0);
    for (const r of win) perHour[Number(r.EventTime.slice(11, 13))]! += 1;
    expect(Math.max(...perHour)).toBeGreaterThan(4 * Math.min(...perHour));
    expect(perHour[11]!).toBeGreaterThan(perHour[3]!);

    // External destinations mostly fall in networks of MaxMind's City test database.
    const city = JSON.parse(readFileSync(resolve(process.cwd(), '../shared/testdata/maxmind/GeoIP2-City-Test.json'), 'utf8')) as Record<string, unknown>[];
    const v4 = city.map((e) => Object.keys(e)[0]!).map((net) => {
      const m4 = /^(?:::)?(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(net);
      if (!m4) return null;
      const bits = net.startsWith('::') ? Number(m4[2]) - 96 : Number(m4[2]);
      return { base: toInt(m4[1]!), bits };
    }).filter((x): x is { base: number; bits: number } => x !== null && x.bits >= 0);
    const known = (ip: string): boolean => v4.some((n) => (n.bits === 0 || (toInt(ip) >>> (32 - n.bits)) === (n.base >>> (32 - n.bits))));
    const sysmon3 = win.filter((r) => r.EventID === 3).map((r) => String(r['DestinationIp']));
    const external = [...new Set(sysmon3.filter((ip) => !/^(10\.|172\.16\.)/.test(ip)))];
    expect(external.length).toBeGreaterThan(10);
    const documentation = external.filter((ip) => /^(203\.0\.113\.|198\.51\.100\.)/.test(ip));
    const geo = external.filter(known);
    expect(geo.length + documentation.length).toBe(external.length);
    expect(geo.length).toBeGreaterThan(documentation.length);
  });
});

function toInt(ip: string): number {
  return ip.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
}
