/**
 * MISP event JSON: `{"Event": {...}}`, a list of those, or the REST `{"response": [...]}`.
 * Indicators come from Event.Attribute and Event.Object[].Attribute. Attributes with
 * to_ids=false are context (MISP's own export skips them for detection), so they are
 * skipped and counted. Composite types (`filename|sha256`, `ip-dst|port`,
 * `domain|ip`) contribute the parts Nightjar matches on.
 */
import { FeedResult } from './feed-result.js';
import { parseTime, type IndicatorType } from './indicator.js';

/** MISP type → the indicator type of each `|`-separated part (null parts are ignored). */
const TYPES: Record<string, (IndicatorType | null)[]> = {
  'ip-src': ['ip'], 'ip-dst': ['ip'], 'ip-src|port': ['ip', null], 'ip-dst|port': ['ip', null],
  domain: ['domain'], hostname: ['domain'], 'domain|ip': ['domain', 'ip'], 'hostname|port': ['domain', null],
  url: ['url'], uri: ['url'],
  md5: ['md5'], sha1: ['sha1'], sha256: ['sha256'],
  'filename|md5': [null, 'md5'], 'filename|sha1': [null, 'sha1'], 'filename|sha256': [null, 'sha256'],
  'malware-sample': [null, 'md5'],
};

/** threat_level_id 1 (high) … 4 (undefined) as a confidence. */
const THREAT_CONFIDENCE: Record<string, number | null> = { '1': 90, '2': 70, '3': 50, '4': null };

interface MispAttribute {
  type?: string;
  value?: string;
  to_ids?: boolean | string;
  timestamp?: string | number;
  first_seen?: string | null;
  last_seen?: string | null;
  deleted?: boolean;
}

function eventsOf(doc: unknown): Record<string, unknown>[] {
  const d = doc as Record<string, unknown>;
  if (Array.isArray(doc)) return doc.flatMap(eventsOf);
  if (d && Array.isArray(d.response)) return d.response.flatMap(eventsOf);
  if (d && typeof d.Event === 'object' && d.Event) return [d.Event as Record<string, unknown>];
  return [];
}

export function parseMisp(doc: unknown, source: string): FeedResult {
  const result = new FeedResult(source);
  const events = eventsOf(doc);
  if (events.length === 0) result.skip(source, 'not a MISP event (expected {"Event": {...}})');
  for (const event of events) {
    const confidence = THREAT_CONFIDENCE[String(event.threat_level_id ?? '4')] ?? null;
    const eventDate = parseTime(event.date);
    const attributes: MispAttribute[] = [
      ...((event.Attribute as MispAttribute[] | undefined) ?? []),
      ...((event.Object as { Attribute?: MispAttribute[] }[] | undefined) ?? []).flatMap((o) => o.Attribute ?? []),
    ];
    for (const a of attributes) {
      const label = `${a.type}:${a.value}`;
      if (a.deleted === true) continue;
      const parts = TYPES[a.type ?? ''];
      if (!parts) {
        result.skip(label, `MISP type "${a.type}" is not matched on`);
        continue;
      }
      if (a.to_ids === false || a.to_ids === '0' || a.to_ids === 'false') {
        result.skip(label, 'to_ids is false (context, not a detection indicator)');
        continue;
      }
      const values = String(a.value ?? '').split('|');
      const meta = {
        confidence,
        first_seen: parseTime(a.first_seen) ?? eventDate ?? parseTime(a.timestamp),
        last_seen: parseTime(a.last_seen) ?? parseTime(a.timestamp) ?? eventDate,
      };
      parts.forEach((type, i) => {
        if (type && values[i]) result.add(type, values[i]!, meta);
      });
    }
  }
  return result;
}
