/**
 * Plain indicator lists: one value per line (type inferred: IP, CIDR, hash, URL or
 * domain; `#` comments and blank lines ignored), or a CSV whose header names an
 * `indicator` (or `value`) column and optionally `type`, `confidence`, `first_seen`,
 * `last_seen` columns.
 */
import { FeedResult } from './feed-result.js';
import { INDICATOR_TYPES, clampConfidence, inferIndicator, parseTime, type IndicatorType } from './indicator.js';
import { splitCsvLine } from '../sites-csv.js';

const TYPE_ALIASES: Record<string, IndicatorType> = {
  ipv4: 'ip', ipv6: 'ip', 'ip-src': 'ip', 'ip-dst': 'ip', hostname: 'domain', fqdn: 'domain', uri: 'url',
  'sha-1': 'sha1', 'sha-256': 'sha256',
};

export function parseTextList(text: string, source: string): FeedResult {
  const result = new FeedResult(source);
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
  const header = splitCsvLine(firstLine).map((h) => h.toLowerCase());
  const valueCol = header.findIndex((h) => h === 'indicator' || h === 'value' || h === 'ioc');
  const col = (name: string) => header.indexOf(name);
  let headerSeen = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line || line.startsWith('#')) continue;
    if (valueCol < 0) {
      const value = line.split(/[\s,;]/)[0]!;
      const found = inferIndicator(value);
      if (!found) result.skip(`${source}:${n + 1}`, `cannot tell what "${value.slice(0, 80)}" is`);
      else result.add(found.type, found.value);
      continue;
    }
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    const row = splitCsvLine(line);
    const value = row[valueCol] ?? '';
    const typeText = col('type') >= 0 ? (row[col('type')] ?? '').toLowerCase() : '';
    const meta = {
      confidence: col('confidence') >= 0 ? clampConfidence(row[col('confidence')]) : null,
      first_seen: col('first_seen') >= 0 ? parseTime(row[col('first_seen')]) : null,
      last_seen: col('last_seen') >= 0 ? parseTime(row[col('last_seen')]) : null,
    };
    const type = (INDICATOR_TYPES as readonly string[]).includes(typeText) ? (typeText as IndicatorType) : TYPE_ALIASES[typeText];
    if (typeText && !type) {
      result.skip(`${source}:${n + 1}`, `unknown type "${typeText}"`);
      continue;
    }
    if (type) {
      result.add(type, value, meta);
      continue;
    }
    const found = inferIndicator(value);
    if (!found) result.skip(`${source}:${n + 1}`, `cannot tell what "${value.slice(0, 80)}" is`);
    else result.add(found.type, found.value, meta);
  }
  return result;
}
