/**
 * Reads one scan report, telling the format by its root element (NessusClientData_v2,
 * report, get_reports_response, nmaprun) rather than by its file name.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { NightjarError } from '../../../core/errors.js';
import { parseXml } from './xml.js';
import type { ScanResult } from './scan-result.js';
import { parseNessus } from './nessus.js';
import { parseOpenvas } from './openvas.js';
import { parseNmap } from './nmap.js';

export function parseScan(text: string, source: string): ScanResult {
  const doc = parseXml(text, source);
  if (doc.NessusClientData_v2) return parseNessus(doc, source);
  if (doc.nmaprun) return parseNmap(doc, source);
  if (doc.report || doc.get_reports_response) return parseOpenvas(doc, source);
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('!'));
  throw new NightjarError('SCAN_REPORT_INVALID', `${source}: not a Nessus, OpenVAS or nmap XML report (root element: ${roots.join(', ') || 'none'})`);
}

export function readScan(path: string): ScanResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new NightjarError('SCAN_REPORT_INVALID', `cannot read the scan report ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseScan(text, basename(path));
}
