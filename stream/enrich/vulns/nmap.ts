/**
 * nmap XML (-oX). nmap reports services, not vulnerabilities; what maps to a Vuln is
 * script output naming CVEs on an open port: the vulners script (structured tables of
 * id/cvss, or its text output) and the vuln-category scripts ("State: VULNERABLE",
 * "IDs: CVE:CVE-…"). A script saying NOT VULNERABLE, closed or filtered ports, and
 * host scripts (no port) are not mapped; the name is the detected product and version.
 */
import { canonicalIp } from '../intel/indicator.js';
import { ScanResult, asArray, cvesIn, textOf } from './scan-result.js';

type Node = Record<string, unknown>;

/** id → cvss from the vulners script's nested <table><elem key="id">… structure. */
function tableCves(node: unknown, out = new Map<string, number | null>()): Map<string, number | null> {
  if (!node || typeof node !== 'object') return out;
  const n = node as Node;
  const elems = asArray(n.elem as Node | Node[]);
  const field = (k: string) => textOf(elems.find((e) => e['@_key'] === k));
  const id = field('id').toUpperCase();
  if (/^CVE-\d{4}-\d{4,}$/.test(id)) {
    const cvss = Number(field('cvss'));
    out.set(id, field('cvss') !== '' && Number.isFinite(cvss) ? cvss : null);
  }
  for (const t of asArray(n.table as Node | Node[])) tableCves(t, out);
  return out;
}

/** CVE → cvss from the text output: vulners lines are "CVE-…<tab>9.8<tab>url". */
function outputCves(output: string): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const cve of cvesIn(output)) {
    const m = new RegExp(`${cve}\\s+(\\d+(?:\\.\\d+)?)\\s`, 'i').exec(output);
    out.set(cve, m ? Number(m[1]) : null);
  }
  return out;
}

export function parseNmap(doc: Node, source: string): ScanResult {
  const result = new ScanResult('nmap', source);
  const run = doc.nmaprun as Node;
  for (const host of asArray(run.host as Node | Node[])) {
    const addresses = asArray(host.address as Node | Node[]);
    const addr = addresses.find((a) => a['@_addrtype'] === 'ipv4' || a['@_addrtype'] === 'ipv6');
    const ip = addr ? canonicalIp(String(addr['@_addr'])) : null;
    const hostName = String(asArray(((host.hostnames ?? {}) as Node).hostname as Node | Node[])[0]?.['@_name'] ?? '') || null;
    result.skipped += asArray(((host.hostscript ?? {}) as Node).script as Node | Node[]).length;
    for (const port of asArray(((host.ports ?? {}) as Node).port as Node | Node[])) {
      const scripts = asArray(port.script as Node | Node[]);
      const open = ((port.state ?? {}) as Node)['@_state'] === 'open';
      if (!ip || !open) {
        result.skipped += scripts.length;
        continue;
      }
      const service = (port.service ?? {}) as Node;
      const product = [service['@_product'], service['@_version']].filter(Boolean).join(' ') || String(service['@_name'] ?? '') || null;
      for (const script of scripts) {
        const output = String(script['@_output'] ?? '');
        if (/State:\s*(NOT VULNERABLE|UNKNOWN)/i.test(output)) {
          result.skipped++;
          continue;
        }
        const cves = tableCves(script);
        if (cves.size === 0) for (const [k, v] of outputCves(output)) cves.set(k, v);
        for (const [cve, cvss] of cves) {
          result.findings.push({
            ip, host_name: hostName,
            vuln: { cve, cvss, plugin: `nmap:${String(script['@_id'] ?? '?')}`, name: product, port: Number(port['@_portid']), scanner: 'nmap' },
          });
        }
      }
    }
  }
  return result;
}
