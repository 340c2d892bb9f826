/**
 * DNS answers as sources report them, turned into a clean list of answer values.
 *
 * Sysmon event 22 `QueryResults` is `;`-terminated, with non-address records prefixed by
 * their numeric type and two spaces, and IPv4 answers in IPv4-mapped IPv6 form:
 *   `type:  5 wd-prod-cp.trafficmanager.net;type:  5 x.cloudapp.azure.com;::ffff:104.40.17.153;`
 *   `type:  6 ;172.18.38.5;`   (an SOA with no data, then an address)
 *   `-`                         (no answer)
 * Zeek dns.log `answers` is a vector: comma-joined in TSV, an array in JSON; TXT answers
 * carry a `TXT <len> ` prefix.
 *
 * Values come back lower-cased (names) or canonical (addresses), without trailing dots,
 * deduplicated, in first-seen order. Unparseable pieces are skipped, never thrown on:
 * an odd answer must not cost the event.
 */
import { isIP } from 'node:net';

const SYSMON_TYPE_PREFIX = /^type:\s+\d+\s*/i;
const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const MAX_ANSWER_LENGTH = 1024;

/** The canonical text of one answer value: an address, a host name, or null when it is empty. */
export function normaliseAnswer(raw: string): string | null {
  let v = raw.trim().replace(SYSMON_TYPE_PREFIX, '').trim();
  if (v === '' || v === '-' || v === '(empty)' || v.length > MAX_ANSWER_LENGTH) return null;
  const mapped = MAPPED_V4.exec(v);
  if (mapped) v = mapped[1]!;
  if (isIP(v) === 4) return v;
  if (isIP(v) === 6) return v.toLowerCase();
  // Zeek writes TXT answers as `TXT <length> <text>`: keep them verbatim, they are evidence
  if (/^TXT \d+ /.test(v)) return v;
  v = v.toLowerCase();
  while (v.endsWith('.')) v = v.slice(0, -1);
  return v === '' ? null : v;
}

/**
 * Splits a source's answer field into answer values. `;` separates Sysmon results, `,`
 * Zeek's vector elements; arrays (Zeek JSON) are taken element-wise.
 */
export function parseDnsAnswers(answers: string | readonly string[] | null | undefined): string[] {
  if (answers === null || answers === undefined) return [];
  const pieces = typeof answers === 'string' ? answers.split(/[;,]/) : answers.flatMap((a) => String(a).split(';'));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const piece of pieces) {
    const value = normaliseAnswer(piece);
    if (value !== null && !seen.has(value)) {
      seen.add(value);
      out.push(value);
    }
  }
  return out;
}

/** The queried name in canonical form (lower case, no trailing dot), or null when there is none. */
export function normaliseQuery(query: string | null | undefined): string | null {
  if (!query) return null;
  let q = query.trim().toLowerCase();
  while (q.endsWith('.')) q = q.slice(0, -1);
  return q === '' || q === '-' || q.length > 1024 ? null : q;
}
