/**
 * Passive DNS in the state store: every query→answer pair observed (Zeek dns.log, Sysmon
 * event 22) with how often, and when first and last. Four sorted sets per name, so both
 * directions are one read away and Redis keeps the arithmetic atomic across workers:
 *
 *   pdns:c:<query>   member answer, score = times seen      (ZINCRBY)
 *   pdns:f:<query>   member answer, score = first seen, ms  (ZADD LT)
 *   pdns:l:<query>   member answer, score = last seen, ms   (ZADD GT)
 *   pdns:r:<answer>  member query,  score = times seen      (the reverse index: which names gave this address)
 *
 * Min/max rather than set-if-absent/overwrite, so a replay or out-of-order batch never
 * moves first-seen later or last-seen earlier.
 */
import type { NightjarEvent } from '../../schema/types.js';
import type { ScoreUpdate, StateStore } from '../state/port.js';
import { normaliseQuery, parseDnsAnswers } from './dns-answers.js';

export const pdnsKey = {
  count: (query: string) => `pdns:c:${query}`,
  first: (query: string) => `pdns:f:${query}`,
  last: (query: string) => `pdns:l:${query}`,
  byAnswer: (answer: string) => `pdns:r:${answer}`,
};

export interface PassiveDnsPair {
  query: string;
  answer: string;
  count: number;
  first_seen: number;
  last_seen: number;
}

/** The query and its answers in one event; null when the event resolved nothing. Pure. */
export function dnsResolution(event: Pick<NightjarEvent, 'dns_query' | 'dns_answers'>, maxAnswers = 64): { query: string; answers: string[] } | null {
  const query = normaliseQuery(event.dns_query);
  if (query === null) return null;
  const answers = parseDnsAnswers(event.dns_answers).slice(0, maxAnswers);
  return answers.length > 0 ? { query, answers } : null;
}

/** Folds a batch into one entry per distinct pair (count, earliest, latest). Pure. */
export function aggregatePairs(events: readonly Pick<NightjarEvent, 'ts' | 'dns_query' | 'dns_answers'>[], maxAnswers = 64): PassiveDnsPair[] {
  const pairs = new Map<string, PassiveDnsPair>();
  for (const e of events) {
    const r = dnsResolution(e, maxAnswers);
    if (!r) continue;
    for (const answer of r.answers) {
      const id = `${r.query}\u0000${answer}`;
      const p = pairs.get(id);
      if (p) {
        p.count++;
        p.first_seen = Math.min(p.first_seen, e.ts);
        p.last_seen = Math.max(p.last_seen, e.ts);
      } else {
        pairs.set(id, { query: r.query, answer, count: 1, first_seen: e.ts, last_seen: e.ts });
      }
    }
  }
  return [...pairs.values()];
}

export function pairUpdates(pairs: readonly PassiveDnsPair[]): ScoreUpdate[] {
  const updates: ScoreUpdate[] = [];
  for (const p of pairs) {
    updates.push(
      { key: pdnsKey.count(p.query), member: p.answer, score: p.count, mode: 'add' },
      { key: pdnsKey.first(p.query), member: p.answer, score: p.first_seen, mode: 'min' },
      { key: pdnsKey.last(p.query), member: p.answer, score: p.last_seen, mode: 'max' },
      { key: pdnsKey.byAnswer(p.answer), member: p.query, score: p.count, mode: 'add' },
    );
  }
  return updates;
}

/**
 * Everything known about a name or address: the pairs where it is the query (its answers)
 * and those where it is the answer (the names that resolved to it), the most frequent
 * `limit` of each, ordered by count. Three state-store calls whatever the size.
 */
export async function lookupPassiveDns(state: StateStore, term: string, limit = 100): Promise<PassiveDnsPair[]> {
  const key = normaliseQuery(term) ?? term.trim();
  const [asQuery, asAnswer] = await state.zTop([pdnsKey.count(key), pdnsKey.byAnswer(key)], limit);
  const partial: { query: string; answer: string; count: number }[] = [
    ...asQuery!.map(([answer, count]) => ({ query: key, answer, count })),
    ...asAnswer!.map(([query, count]) => ({ query, answer: key, count })),
  ];
  const seen = new Set<string>();
  const unique = partial.filter((p) => {
    const id = `${p.query}\u0000${p.answer}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
  const scores = await state.zScores(unique.flatMap((p) => [[pdnsKey.first(p.query), p.answer] as const, [pdnsKey.last(p.query), p.answer] as const]));
  return unique
    .map((p, i) => ({ ...p, first_seen: scores[2 * i] ?? 0, last_seen: scores[2 * i + 1] ?? 0 }))
    .sort((a, b) => b.count - a.count || a.query.localeCompare(b.query) || a.answer.localeCompare(b.answer));
}
