/**
 * Internal sites: a CSV of `cidr,site,location,owner` (header required, location and
 * owner may be empty) turned into a CidrTable. Errors name the file, line and problem.
 */
import { readFileSync } from 'node:fs';
import type { Site } from '../../schema/types.js';
import { NightjarError } from '../../core/errors.js';
import { CidrTable } from './cidr-table.js';

const REQUIRED = ['cidr', 'site'];

/** Splits one CSV line, honouring double quotes ("" inside quotes is a quote). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function parseSitesCsv(text: string, path = 'sites CSV'): CidrTable<Site> {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  for (const col of REQUIRED) {
    if (!header.includes(col)) {
      throw new NightjarError('SITES_CSV_INVALID', `${path}: the header must name the columns cidr,site[,location,owner]; "${col}" is missing`);
    }
  }
  const at = (row: string[], col: string) => {
    const i = header.indexOf(col);
    return i >= 0 && row[i] ? row[i]! : null;
  };
  const table = new CidrTable<Site>();
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const row = splitCsvLine(line);
    const cidr = at(row, 'cidr');
    const site = at(row, 'site');
    if (!cidr || !site) throw new NightjarError('SITES_CSV_INVALID', `${path}:${n + 1}: cidr and site must not be empty`);
    try {
      table.add(cidr, { site, location: at(row, 'location'), owner: at(row, 'owner'), cidr });
    } catch (err) {
      throw new NightjarError('SITES_CSV_INVALID', `${path}:${n + 1}: ${(err as Error).message}`, { cause: err });
    }
  }
  return table;
}

export function loadSitesCsv(path: string): CidrTable<Site> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new NightjarError('SITES_CSV_INVALID', `cannot read the sites CSV ${path}: ${(err as Error).message}`, { cause: err });
  }
  return parseSitesCsv(text, path);
}
