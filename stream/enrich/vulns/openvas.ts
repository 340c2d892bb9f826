/**
 * OpenVAS / Greenbone XML reports (`<report><report><results><result>`, also inside a
 * get_reports_response): per result the host address (text of <host>), the port
 * ("443/tcp", or "general/tcp" for host-wide), the NVT's OID and name, the severity or
 * cvss_base, and CVEs from <refs><ref type="cve"> or the older comma-separated <cve>.
 * Results with severity 0 ("Log") are informational and skipped.
 */
import { canonicalIp } from '../intel/indicator.js';
import { ScanResult, asArray, cvesIn, cvssOf, textOf } from './scan-result.js';

type Node = Record<string, unknown>;

/** Finds the <results> element wherever the wrapper put it. */
function findResults(node: unknown, depth = 0): Node[] {
  if (!node || typeof node !== 'object' || depth > 6) return [];
  const n = node as Node;
  if (n.results && typeof n.results === 'object') return asArray((n.results as Node).result as Node | Node[]);
  return Object.values(n).flatMap((child) => (Array.isArray(child) ? child.flatMap((c) => findResults(c, depth + 1)) : findResults(child, depth + 1)));
}

export function parseOpenvas(doc: Node, source: string): ScanResult {
  const result = new ScanResult('openvas', source);
  for (const r of findResults(doc)) {
    const nvt = (r.nvt ?? {}) as Node;
    const cvss = cvssOf(r.severity, nvt.cvss_base);
    const ip = canonicalIp(textOf(r.host).trim());
    if (!ip || !(cvss !== null && cvss > 0)) {
      result.skipped++;
      continue;
    }
    const hostName = textOf((r.host as Node | undefined)?.hostname) || null;
    const portText = textOf(r.port);
    const port = /^\d+/.test(portText) ? Number.parseInt(portText, 10) : 0;
    const refs = asArray(((nvt.refs ?? {}) as Node).ref as Node | Node[]);
    const cves = [...new Set([...refs.filter((x) => x['@_type'] === 'cve').map((x) => String(x['@_id']).toUpperCase()), ...cvesIn(textOf(nvt.cve))])];
    const base = { cvss, plugin: `openvas:${String(nvt['@_oid'] ?? '?')}`, name: textOf(nvt.name) || textOf(r.name) || null, port, scanner: 'openvas' };
    const target = port > 0 ? result.findings : result.hostWide;
    for (const cve of cves.length ? cves : [null]) target.push({ ip, host_name: hostName, vuln: { ...base, cve } });
  }
  return result;
}
