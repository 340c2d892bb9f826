import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { IntelStage } from '../../stream/enrich/intel-stage.js';
import { memoryFeedLookup, stateStoreFeedLookup } from '../../stream/enrich/intel/feed-lookups.js';
import { importIndicators, currentVersion, StateStoreIndicatorLookup, storedIndicatorKey } from '../../stream/enrich/intel/state-index.js';
import { IndicatorSet } from '../../stream/enrich/intel/indicator-set.js';
import { readFeed, type FeedSpec } from '../../stream/enrich/intel/feed.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import type { StateStore } from '../../stream/state/port.js';
import type { NightjarEvent } from '../../schema/types.js';
import { makeEvent } from '../fixtures/event.js';
import { repoRoot } from '../testdata.js';

const fixture = (name: string) => join(repoRoot, 'test/fixtures/intel', name);
const FEEDS: FeedSpec[] = [
  { path: fixture('bundle.stix.json'), format: 'stix' },
  { path: fixture('event.misp.json'), format: 'misp' },
  { path: fixture('pulse.otx.json'), format: 'otx' },
  { path: fixture('blocklist.txt'), format: 'csv' },
];

/** One event per case, with what it should match (field → indicator), or nothing. */
const CASES: { event: Partial<NightjarEvent>; expect: Record<string, string> }[] = [
  { event: { event_type: 'network_connection', dst_ip: '198.51.100.7', dst_port: 443 }, expect: { dst_ip: '198.51.100.7' } },
  { event: { event_type: 'network_connection', dst_ip: '198.51.100.99' }, expect: { dst_ip: '198.51.100.0/25' } },
  { event: { event_type: 'network_connection', src_ip: '203.0.113.250', dst_ip: '10.0.0.5' }, expect: { src_ip: '203.0.113.0/24' } },
  { event: { event_type: 'network_connection', dst_ip: '198.51.100.200' }, expect: {} },
  { event: { event_type: 'network_connection', dst_ip: '2001:db8:bad:0::1' }, expect: { dst_ip: '2001:db8:bad:0:0:0:0:1' } },
  { event: { event_type: 'dns_query', dns_query: 'a.b.Evil.Example.' }, expect: { dns_query: 'evil.example' } },
  { event: { event_type: 'dns_query', dns_query: 'x.cdn.evil.example' }, expect: { dns_query: 'cdn.evil.example' } },
  { event: { event_type: 'dns_query', dns_query: 'notevil.example' }, expect: {} },
  { event: { event_type: 'dns_query', dns_query: 'example' }, expect: {} },
  { event: { event_type: 'http_request', url: 'https://payloads.evil.example/stage2.ps1' }, expect: { url: 'payloads.evil.example/stage2.ps1' } },
  { event: { event_type: 'http_request', url: 'http://www.evil.example/other' }, expect: { url: 'evil.example' } },
  { event: { event_type: 'http_request', url: 'http://192.0.2.10/x' }, expect: { url: '192.0.2.10' } },
  { event: { event_type: 'http_request', url: 'http://benign.test/stage2.ps1' }, expect: {} },
  { event: { event_type: 'process_start', sha256: '4F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708192A3B4C5D6E7F8', md5: 'D41D8CD98F00B204E9800998ECF8427E' }, expect: { sha256: '4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8', md5: 'd41d8cd98f00b204e9800998ecf8427e' } },
  { event: { event_type: 'process_start', sha256: 'ab'.repeat(32) }, expect: {} },
];

function check(events: NightjarEvent[]): void {
  events.forEach((e, i) => {
    const want = CASES[i]!.expect;
    const got = Object.fromEntries((e.intel ?? []).map((m) => [m.field, m.indicator]));
    expect(got, JSON.stringify(CASES[i]!.event)).toEqual(want);
    const flags = e.flags.filter((f) => f.rule === 'threat_intel_match');
    expect(flags).toHaveLength(Object.keys(want).length > 0 ? 1 : 0);
  });
}

/** Counts the calls a stage makes, to check the one-call-per-batch rule. */
function counting(store: StateStore): StateStore & { gets: number } {
  const wrapped = Object.create(store) as StateStore & { gets: number };
  wrapped.gets = 0;
  wrapped.get = async (keys) => {
    wrapped.gets++;
    return store.get(keys);
  };
  return wrapped;
}

describe('IntelStage with the feeds in memory', () => {
  it('matches IPs, ranges, domains with their parents, URLs and hashes, and only those', async () => {
    const stage = new IntelStage(memoryFeedLookup(FEEDS), { refreshMs: 60_000, cacheSize: 0 });
    const events = CASES.map((c) => makeEvent(c.event));
    await stage.run(events);
    check(events);
  });

  it('names the indicator, its type, every feed and the confidence in the flag', async () => {
    const stage = new IntelStage(memoryFeedLookup(FEEDS), { refreshMs: 60_000, cacheSize: 0 });
    const [e] = [makeEvent({ dns_query: 'evil.example', event_type: 'dns_query' })];
    await stage.run([e!]);
    expect(e!.intel).toEqual([
      {
        indicator: 'evil.example', type: 'domain', field: 'dns_query',
        sources: ['bundle.stix.json', 'event.misp.json', 'pulse.otx.json'],
        confidence: 90, first_seen: Date.UTC(2023, 11, 20, 10), last_seen: 1709251200_000,
      },
    ]);
    expect(e!.flags[0]!.reason).toBe('dns_query domain indicator evil.example (bundle.stix.json, event.misp.json, pulse.otx.json, confidence 90)');
    expect(e!.flags[0]!.score).toBe(91);
  });

  it('picks up a changed feed file without a restart, and keeps the old set when the new file is broken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-intel-'));
    const path = join(dir, 'list.txt');
    writeFileSync(path, 'first.test\n');
    const stage = new IntelStage(memoryFeedLookup([{ path, format: 'auto' }]), { refreshMs: 0, cacheSize: 0 });
    const run = async (q: string) => {
      const e = makeEvent({ event_type: 'dns_query', dns_query: q });
      await stage.run([e]);
      return (e.intel ?? []).length;
    };
    expect([await run('first.test'), await run('second.test')]).toEqual([1, 0]);
    writeFileSync(path, 'second.test\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    expect([await run('first.test'), await run('second.test')]).toEqual([0, 1]);
    writeFileSync(path, '{"type": "bundle", "objects": [ broken');
    utimesSync(path, new Date(), new Date(Date.now() + 10_000));
    expect([await run('first.test'), await run('second.test')]).toEqual([0, 1]);
  });
});

describe('IntelStage with the indicators in the state store', () => {
  it('matches exactly as the memory index does, with one batched get per batch', async () => {
    const store = counting(new MemoryStateStore());
    const stage = new IntelStage(stateStoreFeedLookup(store, FEEDS), { refreshMs: 60_000, cacheSize: 1000 });
    const events = CASES.map((c) => makeEvent(c.event));
    await stage.run(events); // first batch: refresh imports the feeds, then reads the version and ranges
    check(events);
    const before = store.gets;
    const again = CASES.map((c) => makeEvent(c.event));
    await stage.run(again); // warm: everything in L1, no call at all
    check(again);
    expect(store.gets - before).toBe(0);
    const fresh = [makeEvent({ dns_query: 'new.host.evil.example' }), makeEvent({ dst_ip: '192.0.2.44' }), makeEvent({ dst_ip: '192.0.2.45' })];
    await stage.run(fresh);
    expect(store.gets - before).toBe(1);
    expect(fresh.map((e) => e.intel?.[0]?.indicator ?? null)).toEqual(['evil.example', '192.0.2.44', null]);
  });

  it('switches versions atomically, keeps the previous version for slow readers, deletes the one before', async () => {
    const store = new MemoryStateStore();
    const setOf = (...names: string[]) => new IndicatorSet().addAll(names.flatMap((n) => readFeed({ path: fixture(n), format: 'auto' }).indicators));
    const reader = new StateStoreIndicatorLookup(store);
    const v1 = await importIndicators(store, setOf('blocklist.txt').values());
    await reader.refresh();
    expect(reader.currentVersion).toBe(v1.version);
    const v2 = await importIndicators(store, setOf('pulse.otx.json').values());
    // the reader has not refreshed: it still reads v1, which must still be there
    expect((await reader.getMany(['domain|badsite.test']))[0]?.value).toBe('badsite.test');
    const v3 = await importIndicators(store, setOf('bundle.stix.json').values());
    expect(v3.count).toBe(6);
    expect(await store.get([storedIndicatorKey(v1.version, 'domain|badsite.test')])).toEqual([null]);
    expect(await store.get([storedIndicatorKey(v2.version, 'domain|cdn.evil.example')])).not.toEqual([null]);
    await reader.refresh();
    expect(reader.currentVersion).toBe(v3.version);
    expect(reader.lookupRange('203.0.113.9')?.value).toBe('203.0.113.0/24');
    expect((await reader.getMany(['domain|badsite.test', 'domain|evil.example'])).map((i) => i?.value ?? null)).toEqual([null, 'evil.example']);
    // the same content again is not re-imported
    const again = await importIndicators(store, setOf('bundle.stix.json').values(), { fingerprint: 'f1' });
    const same = await importIndicators(store, setOf('bundle.stix.json').values(), { fingerprint: 'f1' });
    expect(same).toEqual({ version: again.version, count: 6, skipped: true });
    expect((await currentVersion(store))?.version).toBe(again.version);
  });

  it('workers re-import a changed feed file and every reader follows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-intel-'));
    const path = join(dir, 'feed.txt');
    copyFileSync(fixture('blocklist.txt'), path);
    const store = new MemoryStateStore();
    const worker = stateStoreFeedLookup(store, [{ path, format: 'auto' }]);
    const reader = new StateStoreIndicatorLookup(store); // a worker without feeds configured
    await worker.refresh();
    await reader.refresh();
    expect((await reader.getMany(['domain|badsite.test']))[0]?.sources).toEqual(['feed.txt']);
    writeFileSync(path, 'otherbad.test\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    await worker.refresh();
    await reader.refresh();
    expect((await reader.getMany(['domain|badsite.test', 'domain|otherbad.test'])).map((i) => i?.value ?? null)).toEqual([null, 'otherbad.test']);
  });
});
