/**
 * host:port → known vulnerabilities, merged over every scan: one entry per (CVE or
 * plugin, scanner), so the same CVE reported by Nessus and OpenVAS shows both.
 * Lookups are one map probe.
 */
import type { Vuln } from '../../../schema/types.js';
import { canonicalIp } from '../intel/indicator.js';
import type { ScanResult } from './scan-result.js';

export class VulnIndex {
  private readonly byHostPort = new Map<string, Vuln[]>();
  hosts = new Set<string>();

  static of(results: Iterable<ScanResult>): VulnIndex {
    const index = new VulnIndex();
    for (const r of results) for (const f of r.findings) index.add(f.ip, f.vuln);
    return index;
  }

  get size(): number {
    return this.byHostPort.size;
  }

  add(ip: string, vuln: Vuln): void {
    const key = `${ip}|${vuln.port}`;
    const list = this.byHostPort.get(key) ?? [];
    const same = list.find((v) => v.scanner === vuln.scanner && (vuln.cve ? v.cve === vuln.cve : v.cve === null && v.plugin === vuln.plugin));
    if (same) {
      if ((vuln.cvss ?? -1) > (same.cvss ?? -1)) same.cvss = vuln.cvss;
    } else {
      list.push({ ...vuln });
      list.sort((a, b) => (b.cvss ?? -1) - (a.cvss ?? -1)); // worst first
    }
    this.byHostPort.set(key, list);
    this.hosts.add(ip);
  }

  lookup(ip: string, port: number): Vuln[] {
    const canonical = canonicalIp(ip);
    return canonical ? this.byHostPort.get(`${canonical}|${port}`) ?? [] : [];
  }
}
