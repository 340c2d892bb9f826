/**
 * Enrichment: reverse DNS names of src_ip and dst_ip into `src_dns_names` / `dst_dns_names`.
 *
 * Per batch: distinct addresses → L1/L2 cache (tiered-cache.ts) → the resolver for the
 * rest, all at once under the resolver's concurrency limit. The batch waits at most
 * `timeoutMs` in total: addresses still unresolved then stay empty for this batch, and
 * their look-ups carry on in the background so the answer is cached for the next one
 * (a look-up already in flight is joined, never repeated). Negative answers (no PTR) are
 * cached for `negativeTtlMs`; failures (timeout, refused) are remembered in L1 only for
 * `errorTtlMs`, so a dead resolver costs one timeout per address per `errorTtlMs`, not one
 * per batch.
 */
import { isIP } from 'node:net';
import type { NightjarEvent } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { StateStore } from '../state/port.js';
import type { DnsResolver } from './dns-resolver.js';
import { isPrivateIp, parseIp } from '../../core/ip.js';
import { logger } from '../../core/log.js';
import { TieredCache } from './tiered-cache.js';
import { countErrors, countLookups, countUnresolved, observeLookup, reportHitRatio } from './enrich-metrics.js';

const log = logger('enrich_reverse_dns');
const ENRICHMENT = 'reverse_dns';

export interface ReverseDnsOptions {
  /** The most a batch waits for the resolver, in ms. */
  timeoutMs: number;
  ttlMs: number;
  negativeTtlMs: number;
  errorTtlMs: number;
  cacheSize: number;
  /** At most this many names per address are kept. */
  maxNames: number;
  /** Which addresses to look up: internal ones usually have PTRs in the corporate DNS. */
  scope: 'all' | 'private' | 'public';
}

/**
 * Addresses no PTR look-up can tell anything about: unspecified, loopback, broadcast,
 * multicast, IPv6 link-local. Asking costs a round trip per batch for nothing.
 */
export function isUnresolvable(ip: string): boolean {
  const p = parseIp(ip);
  if (!p) return true;
  if (p.family === 4) {
    const first = Number(p.value >> 24n);
    return p.value === 0n || p.value === 0xffffffffn || first === 127 || (first >= 224 && first <= 239);
  }
  const top16 = Number(p.value >> 112n);
  return p.value === 0n || p.value === 1n || top16 >> 8 === 0xff || (top16 & 0xffc0) === 0xfe80;
}

/** Which addresses of an event the stage looks up, by scope. Pure, for tests. */
export function addressInScope(ip: string | null, scope: ReverseDnsOptions['scope']): ip is string {
  if (!ip || isIP(ip) === 0 || isUnresolvable(ip)) return false;
  if (scope === 'all') return true;
  return isPrivateIp(ip) === (scope === 'private');
}

/** Cached value: the names, or null for "the resolver failed recently" (L1 only). */
type Cached = string[] | null;

export class ReverseDnsStage implements Stage {
  readonly name = 'enrich_reverse_dns';
  private readonly cache: TieredCache<Cached>;
  private readonly inflight = new Map<string, Promise<string[] | null>>();
  private errorsLogged = 0;

  constructor(
    private readonly resolver: DnsResolver,
    state: StateStore | null,
    private readonly opts: ReverseDnsOptions,
    now: () => number = Date.now,
  ) {
    this.cache = new TieredCache<Cached>(
      {
        name: ENRICHMENT,
        prefix: 'rdns:',
        l1Size: opts.cacheSize,
        state,
        encode: (v) => v ?? [],
        decode: (raw) => (Array.isArray(raw) && raw.every((n) => typeof n === 'string') ? (Object.freeze(raw) as string[]) : undefined),
      },
      now,
    );
  }

  async run(events: NightjarEvent[]): Promise<void> {
    // classifying an address parses it; do it once per distinct address per batch
    const scoped = new Map<string, boolean>();
    const inScope = (ip: string | null): ip is string => {
      if (ip === null) return false;
      let yes = scoped.get(ip);
      if (yes === undefined) scoped.set(ip, (yes = addressInScope(ip, this.opts.scope)));
      return yes;
    };
    for (const e of events) {
      inScope(e.src_ip);
      inScope(e.dst_ip);
    }
    const wanted = [...scoped].filter(([, yes]) => yes).map(([ip]) => ip);
    const { found, missing } = await this.cache.getMany(wanted);

    const resolved = new Map<string, string[] | null>();
    if (missing.length > 0) {
      const lookups = missing.map((ip) => this.lookup(ip, resolved));
      await waitAtMost(Promise.all(lookups), this.opts.timeoutMs);
      // still out at the deadline (failures are counted as errors, not here)
      countUnresolved(ENRICHMENT, missing.filter((ip) => !resolved.has(ip)).length);
    }

    const namesOf = (ip: string | null): string[] => (inScope(ip) ? (found.get(ip) ?? resolved.get(ip) ?? []) : []);
    for (const e of events) {
      e.src_dns_names = namesOf(e.src_ip);
      e.dst_dns_names = namesOf(e.dst_ip);
    }
    // includes answers that arrived after an earlier batch's deadline
    await this.cache.flush();
    reportHitRatio(ENRICHMENT, this.cache.hitRatio());
  }

  async close(): Promise<void> {
    this.resolver.close();
    await Promise.allSettled(this.inflight.values());
    await this.cache.flush();
  }

  /** Starts (or joins) the look-up of one address; records the answer (null: failed) in `resolved` when it lands. */
  private lookup(ip: string, resolved: Map<string, string[] | null>): Promise<void> {
    let job = this.inflight.get(ip);
    if (!job) {
      job = this.resolve(ip).finally(() => this.inflight.delete(ip));
      this.inflight.set(ip, job);
    }
    return job.then((names) => {
      resolved.set(ip, names);
    });
  }

  /** One call to the resolver; caches the answer (or the failure) and never rejects. */
  private async resolve(ip: string): Promise<string[] | null> {
    const t0 = performance.now();
    countLookups(ENRICHMENT);
    try {
      // frozen: events and the cache share one array per address
      const names = Object.freeze((await this.resolver.reverse(ip)).slice(0, this.opts.maxNames)) as string[];
      this.cache.put(ip, names, names.length > 0 ? this.opts.ttlMs : this.opts.negativeTtlMs);
      return names;
    } catch (err) {
      countErrors(ENRICHMENT);
      this.cache.putLocal(ip, null, this.opts.errorTtlMs);
      if (this.errorsLogged++ < 5) log.warn('reverse lookup failed', { ip, error: (err as Error).message });
      return null;
    } finally {
      observeLookup(ENRICHMENT, (performance.now() - t0) / 1000);
    }
  }
}

/** Resolves when `work` settles or after `ms`, whichever is first; never rejects. */
async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work.catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
