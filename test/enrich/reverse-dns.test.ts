import { describe, expect, it } from 'vitest';
import { ReverseDnsStage, addressInScope, type ReverseDnsOptions } from '../../stream/enrich/reverse-dns.js';
import { reverseName, type DnsResolver } from '../../stream/enrich/dns-resolver.js';
import { NightjarError } from '../../core/errors.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { metrics } from '../../core/metrics.js';
import { makeEvent } from '../fixtures/event.js';

const ZONE: Record<string, string[]> = {
  '10.0.0.1': ['dc01.corp.example.com'],
  '10.0.0.2': ['ws02.corp.example.com', 'ws02-alias.corp.example.com'],
  '192.0.2.10': ['web.example.net'],
};

/** A resolver over ZONE; `hang` addresses never answer until released, `fail` ones throw. */
class FakeResolver implements DnsResolver {
  readonly name = 'fake';
  asked: string[] = [];
  hang = new Set<string>();
  fail = new Set<string>();
  private readonly waiting: (() => void)[] = [];

  async reverse(ip: string): Promise<string[]> {
    this.asked.push(ip);
    if (this.fail.has(ip)) throw new NightjarError('SERVICE_UNAVAILABLE', `reverse lookup of ${ip} failed: ETIMEOUT`);
    if (this.hang.has(ip)) await new Promise<void>((r) => this.waiting.push(r));
    return ZONE[ip] ?? [];
  }
  releaseAll(): void {
    for (const w of this.waiting.splice(0)) w();
  }
  close(): void {}
}

function options(over: Partial<ReverseDnsOptions> = {}): ReverseDnsOptions {
  return { timeoutMs: 1_000, ttlMs: 3_600_000, negativeTtlMs: 300_000, errorTtlMs: 30_000, cacheSize: 1_000, maxNames: 5, scope: 'all', ...over };
}

const conn = (src: string | null, dst: string | null) => makeEvent({ source: 'zeek', event_type: 'network_connection', src_ip: src, dst_ip: dst });

describe('reverseName', () => {
  it('builds in-addr.arpa and ip6.arpa query names', () => {
    expect(reverseName('192.0.2.10')).toBe('10.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::567:89ab')).toBe('b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(reverseName('::1')).toBe(`1.${'0.'.repeat(31)}ip6.arpa`);
    expect(reverseName('fe80::1%eth0')).toBe(`1.${'0.'.repeat(27)}0.8.e.f.ip6.arpa`);
    expect(reverseName('::ffff:192.0.2.1')).toBe(`1.0.2.0.0.0.0.c.f.f.f.f.${'0.'.repeat(20)}ip6.arpa`);
    expect(reverseName('host.example')).toBeNull();
  });
});

describe('addressInScope', () => {
  it('selects by scope and ignores what is not an address', () => {
    expect(addressInScope('10.1.2.3', 'private')).toBe(true);
    expect(addressInScope('8.8.8.8', 'private')).toBe(false);
    expect(addressInScope('8.8.8.8', 'public')).toBe(true);
    expect(addressInScope('2001:db8::1', 'all')).toBe(true);
    expect(addressInScope('not-an-ip', 'all')).toBe(false);
    expect(addressInScope(null, 'all')).toBe(false);
  });

  it('never asks about addresses a PTR cannot describe', () => {
    for (const ip of ['0.0.0.0', '255.255.255.255', '127.0.0.1', '224.0.0.251', '239.255.255.250', '::', '::1', 'ff02::fb', 'fe80::1', 'fe80::5d91:ea18:e2b5:9755']) {
      expect(addressInScope(ip, 'all'), ip).toBe(false);
    }
    for (const ip of ['10.0.0.1', '192.168.1.4', '8.8.8.8', '2001:db8::1', 'fd00::1']) expect(addressInScope(ip, 'all'), ip).toBe(true);
  });
});

describe('ReverseDnsStage', () => {
  it('resolves each distinct address once per batch and fills src/dst names', async () => {
    const resolver = new FakeResolver();
    const stage = new ReverseDnsStage(resolver, null, options());
    const events = [conn('10.0.0.1', '10.0.0.2'), conn('10.0.0.2', '10.0.0.1'), conn('10.0.0.1', '10.0.0.99'), conn(null, 'bogus')];
    await stage.run(events);
    expect([...resolver.asked].sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.99']);
    expect(events.map((e) => [e.src_dns_names, e.dst_dns_names])).toEqual([
      [['dc01.corp.example.com'], ['ws02.corp.example.com', 'ws02-alias.corp.example.com']],
      [['ws02.corp.example.com', 'ws02-alias.corp.example.com'], ['dc01.corp.example.com']],
      [['dc01.corp.example.com'], []],
      [[], []],
    ]);
  });

  it('keeps at most maxNames and only in-scope addresses', async () => {
    const resolver = new FakeResolver();
    const stage = new ReverseDnsStage(resolver, null, options({ maxNames: 1, scope: 'private' }));
    const events = [conn('10.0.0.2', '192.0.2.10')];
    await stage.run(events);
    expect(resolver.asked).toEqual(['10.0.0.2']);
    expect(events[0]!.src_dns_names).toEqual(['ws02.corp.example.com']);
    expect(events[0]!.dst_dns_names).toEqual([]);
  });

  it('caches positives and negatives in L1 and L2; negatives expire first', async () => {
    let now = Date.UTC(2024, 0, 1);
    const state = new MemoryStateStore(1_000, () => now);
    const r1 = new FakeResolver();
    const w1 = new ReverseDnsStage(r1, state, options(), () => now);
    await w1.run([conn('10.0.0.1', '10.0.0.99')]);
    await w1.run([conn('10.0.0.1', '10.0.0.99')]);
    expect(r1.asked).toEqual(['10.0.0.1', '10.0.0.99']);

    const r2 = new FakeResolver();
    const w2 = new ReverseDnsStage(r2, state, options(), () => now);
    const fromL2 = [conn('10.0.0.1', '10.0.0.99')];
    await w2.run(fromL2);
    expect(r2.asked).toEqual([]);
    expect(fromL2[0]!.src_dns_names).toEqual(['dc01.corp.example.com']);

    now += 300_001; // the negative TTL has passed, the positive one has not
    const r3 = new FakeResolver();
    const w3 = new ReverseDnsStage(r3, state, options(), () => now);
    await w3.run([conn('10.0.0.1', '10.0.0.99')]);
    expect(r3.asked).toEqual(['10.0.0.99']);
  });

  it('bounds the batch by its timeout when the resolver hangs, and uses the late answer next batch', async () => {
    const resolver = new FakeResolver();
    resolver.hang.add('10.0.0.2');
    const stage = new ReverseDnsStage(resolver, null, options({ timeoutMs: 20 }));
    const unresolvedBefore = metrics.get('nightjar_enrich_unresolved_total', { enrichment: 'reverse_dns' });
    const first = [conn('10.0.0.1', '10.0.0.2')];
    await stage.run(first); // returns although 10.0.0.2 never answered
    expect(first[0]!.src_dns_names).toEqual(['dc01.corp.example.com']);
    expect(first[0]!.dst_dns_names).toEqual([]);
    expect(metrics.get('nightjar_enrich_unresolved_total', { enrichment: 'reverse_dns' })).toBe(unresolvedBefore + 1);

    await stage.run([conn('10.0.0.2', null)]); // joins the look-up in flight instead of asking again
    expect(resolver.asked.filter((ip) => ip === '10.0.0.2')).toHaveLength(1);

    resolver.releaseAll();
    await new Promise((r) => setImmediate(r));
    const next = [conn('10.0.0.2', null)];
    await stage.run(next);
    expect(next[0]!.src_dns_names).toEqual(['ws02.corp.example.com', 'ws02-alias.corp.example.com']);
    expect(resolver.asked.filter((ip) => ip === '10.0.0.2')).toHaveLength(1);
  });

  it('remembers failures for errorTtl only, without writing them to the shared store', async () => {
    let now = Date.UTC(2024, 0, 1);
    const state = new MemoryStateStore(1_000, () => now);
    const resolver = new FakeResolver();
    resolver.fail.add('10.0.0.1');
    const stage = new ReverseDnsStage(resolver, state, options(), () => now);
    const errorsBefore = metrics.get('nightjar_enrich_errors_total', { enrichment: 'reverse_dns' });
    await stage.run([conn('10.0.0.1', null)]);
    await stage.run([conn('10.0.0.1', null)]);
    expect(resolver.asked).toEqual(['10.0.0.1']);
    expect(metrics.get('nightjar_enrich_errors_total', { enrichment: 'reverse_dns' })).toBe(errorsBefore + 1);
    expect(await state.get(['rdns:10.0.0.1'])).toEqual([null]);

    resolver.fail.clear();
    now += 30_001;
    const e = [conn('10.0.0.1', null)];
    await stage.run(e);
    expect(e[0]!.src_dns_names).toEqual(['dc01.corp.example.com']);
    expect(resolver.asked).toEqual(['10.0.0.1', '10.0.0.1']);
  });
});
