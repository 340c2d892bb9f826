import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readScan, parseScan } from '../../stream/enrich/vulns/scan-file.js';
import { VulnIndex } from '../../stream/enrich/vulns/vuln-index.js';
import { ScanFiles } from '../../stream/enrich/vulns/scan-files.js';
import { VulnsStage } from '../../stream/enrich/vulns-stage.js';
import { NightjarError } from '../../core/errors.js';
import { makeEvent } from '../fixtures/event.js';
import { repoRoot } from '../testdata.js';

const scan = (name: string) => join(repoRoot, 'test/fixtures/scans', name);
const summary = (r: ReturnType<typeof readScan>) => r.findings.map((f) => `${f.ip}:${f.vuln.port} ${f.vuln.cve ?? '-'} ${f.vuln.cvss ?? '-'} ${f.vuln.plugin}`).sort();

describe('scan importers', () => {
  it('Nessus: one finding per CVE, CVSS v3 before v2, informational items skipped, port 0 host-wide', () => {
    const r = readScan(scan('lab.nessus'));
    expect(r.scanner).toBe('nessus');
    expect(summary(r)).toEqual([
      '10.0.0.12:3389 - 5.1 nessus:18405',
      '10.0.0.12:445 CVE-2017-0143 8.1 nessus:97833',
      '10.0.0.12:445 CVE-2017-0144 8.1 nessus:97833',
      '10.0.0.13:80 CVE-2022-22720 9.8 nessus:158900',
    ]);
    expect(r.skipped).toBe(2);
    expect(r.findings[0]!.host_name).toBe('fileserver01');
    expect(r.findings.find((f) => f.vuln.port === 445)!.vuln.name).toBe('MS17-010: Security Update for Microsoft Windows SMB Server');
  });

  it('OpenVAS: refs and legacy comma-separated CVEs, general/tcp host-wide, Log results skipped', () => {
    const r = readScan(scan('lab.openvas.xml'));
    expect(r.scanner).toBe('openvas');
    expect(summary(r)).toEqual([
      '10.0.0.20:22 CVE-2023-38408 9.8 openvas:1.3.6.1.4.1.25623.1.0.900001',
      '10.0.0.20:443 CVE-2013-2566 5 openvas:1.3.6.1.4.1.25623.1.0.900002',
      '10.0.0.20:443 CVE-2015-2808 5 openvas:1.3.6.1.4.1.25623.1.0.900002',
    ]);
    expect(r.hostWide.map((f) => f.vuln.cve)).toEqual(['CVE-2022-0847']);
    expect(r.skipped).toBe(1);
  });

  it('nmap: CVEs from vulners tables and vuln scripts on open ports; NOT VULNERABLE, filtered ports and host scripts not mapped', () => {
    const r = readScan(scan('lab.nmap.xml'));
    expect(r.scanner).toBe('nmap');
    expect(summary(r)).toEqual([
      '10.0.0.30:22 CVE-2020-15778 6.8 nmap:vulners',
      '10.0.0.30:22 CVE-2023-38408 9.8 nmap:vulners',
      '10.0.0.30:8080 CVE-2017-5638 - nmap:http-vuln-cve2017-5638',
    ]);
    expect(r.findings[0]!.vuln.name).toBe('OpenSSH 8.2p1 Ubuntu 4ubuntu0.5');
    expect(r.skipped).toBe(3); // the filtered port's script, NOT VULNERABLE, the host script
  });

  it('nmap: reads vulners text output when the script has no tables', () => {
    const xml = `<nmaprun><host><address addr="10.9.9.9" addrtype="ipv4"/><ports><port protocol="tcp" portid="21"><state state="open"/>
      <service name="ftp" product="vsftpd" version="2.3.4"/><script id="vulners" output="&#xa;  cpe:/a:vsftpd:vsftpd:2.3.4: &#xa;    &#x9;CVE-2011-2523&#x9;10.0&#x9;https://vulners.com/cve/CVE-2011-2523&#xa;"/></port></ports></host></nmaprun>`;
    expect(summary(parseScan(xml, 'x.xml'))).toEqual(['10.9.9.9:21 CVE-2011-2523 10 nmap:vulners']);
  });

  it('refuses what is not a scan report, naming the file', () => {
    expect(() => parseScan('<html><body/></html>', 'page.html')).toThrow(/page.html: not a Nessus, OpenVAS or nmap XML report \(root element: html\)/);
    expect(() => parseScan('<nmaprun><host>', 'cut.xml')).toThrow(NightjarError);
    expect(() => readScan('/nonexistent/scan.nessus')).toThrow(/cannot read the scan report/);
  });
});

describe('VulnsStage', () => {
  const index = VulnIndex.of(['lab.nessus', 'lab.openvas.xml', 'lab.nmap.xml'].map((n) => readScan(scan(n))));

  it('annotates and flags connections to vulnerable services, and only those', async () => {
    const events = [
      makeEvent({ event_type: 'network_connection', dst_ip: '10.0.0.12', dst_port: 445 }),
      makeEvent({ event_type: 'network_connection', dst_ip: '10.0.0.12', dst_port: 139 }),
      makeEvent({ event_type: 'network_connection', dst_ip: '10.0.0.30', dst_port: 22 }),
      makeEvent({ event_type: 'network_connection', dst_ip: '10.0.0.30', dst_port: 25 }),
      makeEvent({ event_type: 'network_connection', dst_ip: '10.0.0.20', dst_port: 22 }),
      makeEvent({ event_type: 'network_connection', src_ip: '10.0.0.12', src_port: 445, dst_ip: '10.0.0.99', dst_port: 50000 }),
      makeEvent({ event_type: 'process_start' }),
    ];
    await new VulnsStage(() => index).run(events);
    expect(events.map((e) => (e.vulns ?? []).map((v) => v.cve))).toEqual([
      ['CVE-2017-0143', 'CVE-2017-0144'], [], ['CVE-2023-38408', 'CVE-2020-15778'], [], ['CVE-2023-38408'], [], [],
    ]);
    expect(events.map((e) => e.flags.length)).toEqual([1, 0, 1, 0, 1, 0, 0]);
    expect(events[0]!.flags[0]).toEqual({
      rule: 'exploitable_service', score: 81,
      reason: 'connection to 10.0.0.12:445, a service scanned as vulnerable: CVE-2017-0143 (CVSS 8.1) [nessus], CVE-2017-0144 (CVSS 8.1) [nessus]',
    });
    expect(events[2]!.flags[0]!.score).toBe(89);
  });

  it('the same CVE from two scanners is listed per scanner', () => {
    const both = VulnIndex.of([readScan(scan('lab.openvas.xml'))]);
    for (const f of readScan(scan('lab.nmap.xml')).findings) both.add('10.0.0.20', f.vuln);
    expect(both.lookup('10.0.0.20', 22).map((v) => `${v.cve}/${v.scanner}`)).toEqual(['CVE-2023-38408/openvas', 'CVE-2023-38408/nmap', 'CVE-2020-15778/nmap']);
  });

  it('reloads a changed scan report without a restart and keeps the old findings when the new file is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-scan-'));
    const path = join(dir, 'weekly.xml');
    copyFileSync(scan('lab.nmap.xml'), path);
    const errors: string[] = [];
    const files = new ScanFiles([path], 0, (p, err) => errors.push(`${p}: ${(err as Error).message}`));
    const stage = new VulnsStage(() => files.current());
    const flagged = async (ip: string, port: number) => {
      const e = makeEvent({ dst_ip: ip, dst_port: port });
      await stage.run([e]);
      return e.flags.length;
    };
    expect([await flagged('10.0.0.30', 22), await flagged('10.0.0.12', 445)]).toEqual([1, 0]);
    copyFileSync(scan('lab.nessus'), path);
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    expect([await flagged('10.0.0.30', 22), await flagged('10.0.0.12', 445)]).toEqual([0, 1]);
    writeFileSync(path, '<NessusClientData_v2><Report');
    utimesSync(path, new Date(), new Date(Date.now() + 10_000));
    expect([await flagged('10.0.0.30', 22), await flagged('10.0.0.12', 445)]).toEqual([0, 1]);
    expect(errors.join('\n')).toMatch(/weekly.xml/);
  });
});
