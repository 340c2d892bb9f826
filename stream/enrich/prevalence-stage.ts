/**
 * Enrichment: hash prevalence. For executed images (process_start) and loaded modules
 * (image_load) it counts, per hash, the executions and the distinct hosts and users over
 * the last `windowDays` days of event time, and sets `prevalence` on the event: "seen N
 * times on H hosts by U users in the last D days".
 *
 * State per (kind, day): a sorted set hash → count, and per (kind, hash, day) two
 * HyperLogLog sketches (hosts, users); all expire windowDays + 1 days after their last
 * update. A window is the sum (counts) or union (sketches, PFCOUNT over several keys)
 * of its day buckets. Per batch: one zUpdate and one hllAdd, then one zScores and one
 * hllCountUnion, the pairs issued together.
 *
 * Within a batch, counts are running (the third execution in the batch says 3), while
 * hosts and users are those at the end of the batch.
 */
import type { NightjarEvent, Prevalence } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { ScoreUpdate, StateStore } from '../state/port.js';
import { metrics } from '../../core/metrics.js';

const DAY_MS = 86_400_000;

export type PrevalenceKind = 'exec' | 'module';

const KINDS: Record<string, PrevalenceKind> = { process_start: 'exec', image_load: 'module' };

/** The hash an event is counted under, strongest first, with its algorithm. */
export function prevalenceHash(e: NightjarEvent): { algo: string; value: string } | null {
  if (e.sha256) return { algo: 'sha256', value: e.sha256.toLowerCase() };
  if (e.sha1) return { algo: 'sha1', value: e.sha1.toLowerCase() };
  if (e.md5) return { algo: 'md5', value: e.md5.toLowerCase() };
  return null;
}

export function describePrevalence(p: Prevalence): string {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  return `seen ${plural(p.count, 'time')} on ${plural(p.hosts, 'host')} by ${plural(p.users, 'user')} in the last ${plural(p.window_days, 'day')}`;
}

const countKey = (kind: PrevalenceKind, day: number) => `prev:${kind}:${day}`;
const hostsKey = (kind: PrevalenceKind, member: string, day: number) => `prevh:${kind}:${member}:${day}`;
const usersKey = (kind: PrevalenceKind, member: string, day: number) => `prevu:${kind}:${member}:${day}`;

interface Item {
  index: number;
  kind: PrevalenceKind;
  member: string;
  hash: string;
  day: number;
  /** kind|member|day: the bucket the event is counted in. */
  bucket: string;
}

export class PrevalenceStage implements Stage {
  readonly name = 'enrich_prevalence';

  constructor(private readonly state: StateStore, private readonly windowDays = 7) {
    if (!(windowDays >= 1)) throw new RangeError('the prevalence window must be at least one day');
  }

  async run(events: NightjarEvent[]): Promise<void> {
    const items: Item[] = [];
    events.forEach((e, index) => {
      const kind = KINDS[e.event_type];
      const hash = kind ? prevalenceHash(e) : null;
      if (!kind || !hash) return;
      const member = `${hash.algo}:${hash.value}`;
      const day = Math.floor(e.ts / DAY_MS);
      items.push({ index, kind, member, hash: hash.value, day, bucket: `${kind}|${member}|${day}` });
    });
    if (items.length === 0) return;

    const ttl = (this.windowDays + 1) * 86_400;
    const perBucket = new Map<string, { item: Item; n: number }>();
    const hll: [string, string][] = [];
    for (const it of items) {
      const b = perBucket.get(it.bucket);
      if (b) b.n++;
      else perBucket.set(it.bucket, { item: it, n: 1 });
      const e = events[it.index]!;
      if (e.host) hll.push([hostsKey(it.kind, it.member, it.day), e.host.toLowerCase()]);
      if (e.user) hll.push([usersKey(it.kind, it.member, it.day), (e.user_domain ? `${e.user_domain}\\${e.user}` : e.user).toLowerCase()]);
    }
    const updates: ScoreUpdate[] = [...perBucket.values()].map(({ item, n }) => ({ key: countKey(item.kind, item.day), member: item.member, score: n, mode: 'add' }));
    await Promise.all([this.state.zUpdate(updates, ttl), this.state.hllAdd(hll, ttl)]);

    // read each bucket's window: windowDays day buckets ending at its day
    const buckets = [...perBucket.values()].map((b) => b.item);
    const days = (day: number) => Array.from({ length: this.windowDays }, (_, i) => day - i);
    const scoreQueries: [string, string][] = buckets.flatMap((b) => days(b.day).map((d) => [countKey(b.kind, d), b.member] as [string, string]));
    const unionQueries = buckets.flatMap((b) => [days(b.day).map((d) => hostsKey(b.kind, b.member, d)), days(b.day).map((d) => usersKey(b.kind, b.member, d))]);
    const [scores, distinct] = await Promise.all([this.state.zScores(scoreQueries), this.state.hllCountUnion(unionQueries)]);

    const window = new Map<string, { total: number; hosts: number; users: number }>();
    buckets.forEach((b, i) => {
      let total = 0;
      for (let d = 0; d < this.windowDays; d++) total += scores[i * this.windowDays + d] ?? 0;
      window.set(b.bucket, { total, hosts: distinct[2 * i] ?? 0, users: distinct[2 * i + 1] ?? 0 });
    });
    // running counts: an event's count excludes the same bucket's later events in the batch
    const later = new Map<string, number>();
    for (let i = items.length - 1; i >= 0; i--) {
      const it = items[i]!;
      const w = window.get(it.bucket)!;
      const after = later.get(it.bucket) ?? 0;
      later.set(it.bucket, after + 1);
      events[it.index]!.prevalence = { hash: it.hash, count: w.total - after, hosts: w.hosts, users: w.users, window_days: this.windowDays };
    }
    metrics.inc('nightjar_enrich_lookups_total', { enrichment: 'prevalence' }, buckets.length);
  }
}
