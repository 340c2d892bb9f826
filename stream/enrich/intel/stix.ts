/**
 * STIX 2.1 bundles: `indicator` objects whose pattern (pattern_type "stix") is one
 * comparison or several OR-joined ones, e.g.
 *   [ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'evil.example']
 *   [file:hashes.'SHA-256' = 'ab…'] OR [url:value = 'http://evil.example/x']
 * A pattern with AND or a temporal operator (FOLLOWEDBY, WITHIN, REPEATS) says more than
 * "this value is bad": taking one of its values alone would over-match, so it is skipped.
 * Revoked indicators and those whose valid_until has passed are skipped too.
 */
import { FeedResult } from './feed-result.js';
import { clampConfidence, parseTime, type IndicatorType } from './indicator.js';

const COMPARISON = /([a-z0-9-]+):([A-Za-z0-9_.'-]+)\s*(=|!=|MATCHES|LIKE|IN|ISSUBSET|ISSUPERSET|>=|<=|>|<)\s*'((?:[^'\\]|\\.)*)'/g;

/** The indicator type of a STIX object path, or null when Nightjar does not match on it. */
function typeOfPath(object: string, path: string): IndicatorType | null {
  switch (object) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      return path === 'value' ? 'ip' : null;
    case 'domain-name':
      return path === 'value' ? 'domain' : null;
    case 'url':
      return path === 'value' ? 'url' : null;
    case 'file':
    case 'artifact': {
      const m = /^hashes\.'?([A-Za-z0-9-]+)'?$/.exec(path);
      const algo = m?.[1]?.toUpperCase().replace('-', '');
      return algo === 'MD5' ? 'md5' : algo === 'SHA1' ? 'sha1' : algo === 'SHA256' ? 'sha256' : null;
    }
    default:
      return null;
  }
}

/** The comparisons of a pattern, or a reason it cannot be reduced to single values. */
export function parseStixPattern(pattern: string): { comparisons: { type: IndicatorType; value: string }[]; unsupported: string[] } | { error: string } {
  const outsideQuotes = pattern.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  if (/\b(AND|FOLLOWEDBY|WITHIN|REPEATS|START|STOP)\b/.test(outsideQuotes)) {
    return { error: 'the pattern combines observations with AND or a temporal qualifier' };
  }
  const comparisons: { type: IndicatorType; value: string }[] = [];
  const unsupported: string[] = [];
  for (const m of pattern.matchAll(COMPARISON)) {
    const [, object, path, op, quoted] = m as unknown as [string, string, string, string, string];
    const value = quoted.replace(/\\(.)/g, '$1');
    const type = typeOfPath(object, path);
    if (op !== '=' || !type) unsupported.push(`${object}:${path} ${op}`);
    else comparisons.push({ type, value });
  }
  if (comparisons.length === 0 && unsupported.length === 0) return { error: 'no comparison found in the pattern' };
  return { comparisons, unsupported };
}

export function parseStix(doc: unknown, source: string): FeedResult {
  const result = new FeedResult(source);
  const root = doc as { type?: string; objects?: unknown[] };
  const objects = root?.type === 'bundle' && Array.isArray(root.objects) ? root.objects : root?.type === 'indicator' ? [root] : null;
  if (!objects) {
    result.skip(source, 'not a STIX 2.1 bundle (expected {"type": "bundle", "objects": [...]})');
    return result;
  }
  const now = Date.now();
  for (const o of objects as Record<string, unknown>[]) {
    if (o?.type !== 'indicator') continue; // identities, relationships, malware: context, not indicators
    const id = String(o.id ?? 'indicator');
    if (o.revoked === true) {
      result.skip(id, 'revoked');
      continue;
    }
    if (o.pattern_type !== undefined && o.pattern_type !== 'stix') {
      result.skip(id, `pattern_type "${String(o.pattern_type)}" is not stix`);
      continue;
    }
    const validUntil = parseTime(o.valid_until);
    if (validUntil !== null && validUntil < now) {
      result.skip(id, 'valid_until has passed');
      continue;
    }
    const parsed = parseStixPattern(String(o.pattern ?? ''));
    if ('error' in parsed) {
      result.skip(id, parsed.error);
      continue;
    }
    for (const u of parsed.unsupported) result.skip(id, `unsupported comparison ${u}`);
    const meta = {
      confidence: clampConfidence(o.confidence),
      first_seen: parseTime(o.valid_from) ?? parseTime(o.created),
      last_seen: parseTime(o.modified) ?? parseTime(o.created),
    };
    for (const c of parsed.comparisons) result.add(c.type, c.value, meta);
  }
  return result;
}
