/**
 * AlienVault OTX pulses: one pulse `{"name", "indicators": [{"indicator", "type", …}]}`,
 * or the API's `{"results": [pulse, …]}` page. Inactive indicators (is_active 0) and
 * expired ones are skipped; types Nightjar does not match on (email, CVE, YARA,
 * mutex, file path) are skipped and counted.
 */
import { FeedResult } from './feed-result.js';
import { parseTime, type IndicatorType } from './indicator.js';

const TYPES: Record<string, IndicatorType> = {
  IPv4: 'ip', IPv6: 'ip', CIDR: 'cidr', domain: 'domain', hostname: 'domain', URL: 'url', URI: 'url',
  'FileHash-MD5': 'md5', 'FileHash-SHA1': 'sha1', 'FileHash-SHA256': 'sha256',
};

interface OtxIndicator {
  indicator?: string;
  type?: string;
  created?: string;
  expiration?: string | null;
  is_active?: number | boolean;
}

export function parseOtx(doc: unknown, source: string): FeedResult {
  const result = new FeedResult(source);
  const d = doc as Record<string, unknown>;
  const pulses = (Array.isArray(d?.results) ? d.results : Array.isArray(doc) ? doc : [d]) as Record<string, unknown>[];
  const now = Date.now();
  let any = false;
  for (const pulse of pulses) {
    if (!pulse || !Array.isArray(pulse.indicators)) continue;
    any = true;
    const pulseModified = parseTime(pulse.modified);
    for (const i of pulse.indicators as OtxIndicator[]) {
      const label = `${i.type}:${i.indicator}`;
      const type = TYPES[i.type ?? ''];
      if (!type) {
        result.skip(label, `OTX type "${i.type}" is not matched on`);
        continue;
      }
      if (i.is_active === 0 || i.is_active === false) {
        result.skip(label, 'inactive');
        continue;
      }
      const expiration = parseTime(i.expiration);
      if (expiration !== null && expiration < now) {
        result.skip(label, 'expired');
        continue;
      }
      const created = parseTime(i.created) ?? parseTime(pulse.created);
      result.add(type, String(i.indicator ?? ''), { confidence: null, first_seen: created, last_seen: pulseModified ?? created });
    }
  }
  if (!any) result.skip(source, 'not an OTX pulse (expected {"indicators": [...]} or {"results": [...]})');
  return result;
}
