/**
 * The reverse-DNS port and its adapter over node:dns's c-ares `Resolver`.
 *
 * The port answers one address at a time; the stage deduplicates a batch, consults its
 * caches and bounds the batch's wait. The adapter owns what the resolver needs: its
 * servers, per-query timeout and tries, and a concurrency limit so a batch of 2,000 new
 * addresses never opens 2,000 queries at once (queued look-ups beyond `maxQueued` fail at
 * once instead of piling up behind a dead server).
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { NightjarError } from '../../core/errors.js';

export interface DnsResolver {
  readonly name: string;
  /**
   * The PTR names of an address, lower case without the trailing dot. `[]` when the
   * address has none (NXDOMAIN, NODATA): a negative answer, worth caching. Throws a
   * NightjarError for failures (timeout, refused, SERVFAIL): not an answer.
   */
  reverse(ip: string): Promise<string[]>;
  close(): void;
}

export interface NodeDnsResolverOptions {
  /** `ip` or `ip:port` (`[v6]:port`); empty: the system's resolvers. */
  servers: readonly string[];
  timeoutMs: number;
  tries: number;
  concurrency: number;
  maxQueued?: number;
}

/**
 * The PTR query name of an address: `10.0.0.1` → `1.0.0.10.in-addr.arpa`, IPv6 as 32
 * reversed nibbles under `ip6.arpa`. Null when the text is not an address.
 */
export function reverseName(ip: string): string | null {
  const kind = isIP(ip);
  if (kind === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (kind !== 6) return null;
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const nibbles = groups.map((g) => g.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}

/** c-ares codes that mean "the name does not exist / has no PTR", as opposed to a failure. */
const NEGATIVE_CODES = new Set(['ENOTFOUND', 'ENODATA', 'NOTFOUND', 'NODATA']);

export class NodeDnsResolver implements DnsResolver {
  readonly name = 'node-dns';
  private readonly resolver: Resolver;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly maxQueued: number;

  constructor(private readonly opts: NodeDnsResolverOptions) {
    if (!(opts.concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
    this.resolver = new Resolver({ timeout: opts.timeoutMs, tries: opts.tries });
    if (opts.servers.length > 0) {
      try {
        this.resolver.setServers([...opts.servers]);
      } catch (err) {
        throw new NightjarError('CONFIG_INVALID', `invalid DNS server list ${opts.servers.join(', ')}: ${(err as Error).message}`, { cause: err });
      }
    }
    this.maxQueued = opts.maxQueued ?? 10_000;
  }

  async reverse(ip: string): Promise<string[]> {
    const name = reverseName(ip);
    if (name === null) return [];
    await this.acquire();
    try {
      // resolvePtr, not Resolver.reverse: reverse() reports every failure (a timeout, a
      // refused connection) as ENOTFOUND, which would cache a dead server as "no name"
      const names = await this.resolver.resolvePtr(name);
      return [...new Set(names.map((n) => n.toLowerCase().replace(/\.+$/, '')).filter((n) => n !== ''))];
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (NEGATIVE_CODES.has(code)) return [];
      throw new NightjarError('SERVICE_UNAVAILABLE', `reverse lookup of ${ip} failed: ${code || (err as Error).message}`, { cause: err });
    } finally {
      this.release();
    }
  }

  close(): void {
    this.resolver.cancel();
    // queued callers would otherwise wait forever
    for (const wake of this.waiting.splice(0)) wake();
  }

  private acquire(): Promise<void> {
    if (this.active < this.opts.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(new NightjarError('SERVICE_UNAVAILABLE', `more than ${this.maxQueued} reverse lookups queued; the resolver is too slow`));
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.active++;
      resolve();
    }));
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
