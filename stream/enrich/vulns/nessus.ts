/**
 * Nessus `.nessus` (NessusClientData_v2): Report/ReportHost (address in the host-ip
 * property, else the name), ReportItem with port, pluginID, pluginName, severity 0-4,
 * <cve> elements and cvss3_base_score / cvss_base_score. Severity 0 is informational
 * and skipped; port 0 items are host-wide.
 */
import { canonicalIp } from '../intel/indicator.js';
import { ScanResult, asArray, cvssOf, textOf } from './scan-result.js';

type Node = Record<string, unknown>;

export function parseNessus(doc: Node, source: string): ScanResult {
  const result = new ScanResult('nessus', source);
  const root = doc.NessusClientData_v2 as Node;
  for (const report of asArray(root.Report as Node | Node[])) {
    for (const host of asArray(report.ReportHost as Node | Node[])) {
      const tags = asArray((host.HostProperties as Node | undefined)?.tag as Node | Node[]);
      const tag = (name: string) => textOf(tags.find((t) => t['@_name'] === name)) || null;
      const ip = canonicalIp(tag('host-ip') ?? String(host['@_name'] ?? ''));
      const items = asArray(host.ReportItem as Node | Node[]);
      if (!ip) {
        result.skipped += items.length; // a host scanned by name only: no address to match on
        continue;
      }
      const hostName = tag('hostname') ?? tag('host-fqdn');
      for (const item of items) {
        const severity = Number(item['@_severity'] ?? 0);
        if (!(severity > 0)) {
          result.skipped++;
          continue;
        }
        const port = Number(item['@_port'] ?? 0);
        const cvss = cvssOf(item.cvss3_base_score, item.cvss_base_score);
        const base = { cvss, plugin: `nessus:${String(item['@_pluginID'] ?? '?')}`, name: String(item['@_pluginName'] ?? '') || null, port, scanner: 'nessus' };
        const cves = asArray(item.cve as unknown).map(textOf).filter(Boolean);
        const target = port > 0 ? result.findings : result.hostWide;
        for (const cve of cves.length ? cves : [null]) target.push({ ip, host_name: hostName, vuln: { ...base, cve } });
      }
    }
  }
  return result;
}
