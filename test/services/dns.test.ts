// Reverse DNS against a real DNS server: dnsmasq from scripts/services/dns.sh, serving PTR
// records from a hosts file this test writes into its hosts.d folder.
import { Resolver } from 'node:dns/promises';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDnsResolver } from '../../stream/enrich/dns-resolver.js';
import { ReverseDnsStage } from '../../stream/enrich/reverse-dns.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { metrics } from '../../core/metrics.js';
import { makeEvent } from '../fixtures/event.js';
import { loadServicesEnv, repoRoot, requireService, runId } from './env.js';

const env = loadServicesEnv();
const server = env.NIGHTJAR_DNS_SERVER ?? '127.0.0.1:15353';
const hostsDir = path.join(process.env.NIGHTJAR_STATE_DIR ?? path.join(repoRoot, '.services'), 'dns', 'hosts.d');

const up = await requireService('dns', async () => {
  // the probe record dns.sh writes: a real answer, not an open port
  const plain = new Resolver({ timeout: 1_000, tries: 1 });
  plain.setServers([server]);
  if (!(await plain.resolve4('probe.nightjar.test')).includes('127.0.0.53')) throw new Error('dnsmasq does not serve the probe record');
});

describe.runIf(up)('reverse DNS against dnsmasq', () => {
  const file = path.join(hostsDir, runId('rdns'));
  // 10.213.x: a private range the test owns for its run; TEST-NET-1 for the public one
  const zone: Record<string, string> = {
    '10.213.0.10': 'dc01.corp.example.com',
    '10.213.0.21': 'ws021.corp.example.com',
    '192.0.2.77': 'web.example.net',
  };

  beforeAll(async () => {
    await writeFile(file, Object.entries(zone).map(([ip, name]) => `${ip} ${name}`).join('\n') + '\n');
    // dnsmasq picks the file up by itself (inotify); wait until it answers from it
    const probe = new NodeDnsResolver({ servers: [server], timeoutMs: 500, tries: 1, concurrency: 1 });
    for (let i = 0; i < 50; i++) {
      if ((await probe.reverse('10.213.0.10').catch(() => [])).length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    probe.close();
  });
  afterAll(async () => {
    await rm(file, { force: true });
  });

  it('answers PTR queries from the zone, and NXDOMAIN as an empty answer', async () => {
    const resolver = new NodeDnsResolver({ servers: [server], timeoutMs: 1_000, tries: 1, concurrency: 4 });
    expect(await resolver.reverse('10.213.0.10')).toEqual(['dc01.corp.example.com']);
    expect(await resolver.reverse('192.0.2.77')).toEqual(['web.example.net']);
    expect(await resolver.reverse('10.213.0.99')).toEqual([]);
    resolver.close();
  });

  it('enriches events through the stage, caching positive and negative answers', async () => {
    const resolver = new NodeDnsResolver({ servers: [server], timeoutMs: 1_000, tries: 1, concurrency: 8 });
    const state = new MemoryStateStore();
    const stage = new ReverseDnsStage(resolver, state, {
      timeoutMs: 2_000, ttlMs: 3_600_000, negativeTtlMs: 60_000, errorTtlMs: 10_000, cacheSize: 100, maxNames: 5, scope: 'all',
    });
    const lookups = () => metrics.get('nightjar_enrich_lookups_total', { enrichment: 'reverse_dns' });
    const before = lookups();
    const events = [
      makeEvent({ src_ip: '10.213.0.21', dst_ip: '10.213.0.10' }),
      makeEvent({ src_ip: '10.213.0.21', dst_ip: '192.0.2.77' }),
      makeEvent({ src_ip: '10.213.0.99', dst_ip: '10.213.0.10' }),
    ];
    await stage.run(events);
    expect(events.map((e) => [e.src_dns_names, e.dst_dns_names])).toEqual([
      [['ws021.corp.example.com'], ['dc01.corp.example.com']],
      [['ws021.corp.example.com'], ['web.example.net']],
      [[], ['dc01.corp.example.com']],
    ]);
    expect(lookups() - before).toBe(4);
    await stage.run([makeEvent({ src_ip: '10.213.0.99', dst_ip: '192.0.2.77' })]);
    expect(lookups() - before).toBe(4);
    expect(JSON.parse((await state.get(['rdns:10.213.0.10']))[0]!).v).toEqual(['dc01.corp.example.com']);
    await stage.close();
  });

  it('a dead resolver costs the batch its timeout, not more, and the events still flow', async () => {
    // nothing listens on this port: queries time out (UDP) or are refused
    const dead = new NodeDnsResolver({ servers: ['127.0.0.1:9'], timeoutMs: 200, tries: 1, concurrency: 8 });
    const stage = new ReverseDnsStage(dead, null, {
      timeoutMs: 300, ttlMs: 3_600_000, negativeTtlMs: 60_000, errorTtlMs: 10_000, cacheSize: 100, maxNames: 5, scope: 'all',
    });
    const errors = () => metrics.get('nightjar_enrich_errors_total', { enrichment: 'reverse_dns' });
    const unresolved = () => metrics.get('nightjar_enrich_unresolved_total', { enrichment: 'reverse_dns' });
    const before = errors() + unresolved();
    const events = [makeEvent({ src_ip: '10.213.0.10', dst_ip: '10.213.0.21' })];
    await stage.run(events);
    // each address either failed (refused, timed out) or was still out at the deadline
    expect(errors() + unresolved() - before).toBe(2);
    expect(events[0]!.src_dns_names).toEqual([]);
    expect(events[0]!.dst_dns_names).toEqual([]);
    await stage.close();
  });
});
