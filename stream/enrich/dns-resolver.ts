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
    if (isIP(ip) === 0) return [];
    await this.acquire();
    try {
      const names = await this.resolver.reverse(ip);
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
