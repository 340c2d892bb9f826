// Publishing a baseline version: readers following the live pointer never see a
// half-written or mixed version, even while a new one is being written; the previous
// version expires.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../stream/state/memory.js';
import type { StateStore } from '../../stream/state/port.js';
import { RarityStage } from '../../stream/rarity/stage.js';
import { DEFAULT_THRESHOLDS } from '../../stream/rarity/score.js';
import { LIVE_POINTER, metaKey, entryKey } from '../../stream/rarity/layout.js';
import { publishBaseline, type BaselineRow } from '../../warehouse/baselines/publish.js';
import { makeEvent } from '../fixtures/event.js';

const totals = { window_start: '2024-02-01', window_end: '2024-03-02', baseline_days: 30, events: 1_000, total_hosts: 100, total_users: 40 };
const IMAGES = Array.from({ length: 400 }, (_, i) => `c:\\tools\\tool${i}.exe`);

/** Every image of version `gen` was seen on `gen` hosts: a reader can tell versions apart by hosts. */
function rows(gen: number): BaselineRow[][] {
  return [IMAGES.map((key) => ({ kind: 'process_image' as const, key, events: gen * 10, hosts: gen, first_seen: 1, last_seen: 2 }))];
}

/** Yields to the event loop on every state call, so a concurrent reader interleaves with the writer. */
function interleaving(inner: StateStore): StateStore {
  const tick = () => new Promise<void>((r) => setImmediate(r));
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? async (...args: unknown[]) => { await tick(); return v.apply(target, args); } : v;
    },
  });
}

const publish = (state: StateStore, gen: number, extra: Partial<Parameters<typeof publishBaseline>[0]> = {}) =>
  publishBaseline({ state, engine: 'duckdb', totals, rows: rows(gen), versionTtlSeconds: 3_600, graceSeconds: 60, chunkSize: 25, ...extra });

describe('baseline publishing', () => {
  it('writes the entries, then the meta, then switches the pointer', async () => {
    const state = new MemoryStateStore();
    const first = await publish(state, 1);
    expect(first.previous).toBeNull();
    expect(first.keys).toBe(IMAGES.length);
    expect(first.meta).toMatchObject({ total_hosts: 100, keys: { process_image: 400 }, max_events: { process_image: 10 } });
    expect(await state.get([LIVE_POINTER])).toEqual([first.version]);
    expect(await state.get([entryKey(first.version, 'process_image', IMAGES[7]!)])).toEqual(['10,1,1,2']);
    const second = await publish(state, 2);
    expect(second.previous).toBe(first.version);
    expect(await state.get([LIVE_POINTER])).toEqual([second.version]);
  });

  it('does not move the pointer until the whole version is written', async () => {
    const state = new MemoryStateStore();
    const first = await publish(state, 1);
    const progress: number[] = [];
    let pointerBeforeSwitch: (string | null)[] = [];
    const second = await publish(state, 2, {
      onProgress: (written) => progress.push(written),
      beforeSwitch: async () => {
        pointerBeforeSwitch = await state.get([LIVE_POINTER]);
      },
    });
    expect(progress).toEqual(Array.from({ length: 16 }, (_, i) => (i + 1) * 25));
    expect(pointerBeforeSwitch).toEqual([first.version]);
    const entries = await state.get(IMAGES.map((k) => entryKey(second.version, 'process_image', k)));
    expect(entries.every((v) => v === '20,2,1,2')).toBe(true);
  });

  it('a stream running through a switch judges every batch against one complete version', async () => {
    const state = interleaving(new MemoryStateStore());
    await publish(state, 1);
    const stage = new RarityStage(state, { thresholds: DEFAULT_THRESHOLDS, pointerRefreshMs: 0 });
    let publishing = true;
    const seen = new Set<string>();
    const reader = (async () => {
      let batches = 0;
      while (publishing || batches < 3) {
        const batch = IMAGES.filter((_, i) => i % 7 === batches % 7).map((p) => makeEvent({ process_path: p, process: p.slice(9), sha256: null, parent_process: null }));
        await stage.run(batch);
        const hosts = new Set(batch.map((e) => e.rarity!.find((r) => r.kind === 'process_image')!.hosts));
        // one version per batch, and never an entry missing from it (hosts 0 = "never seen")
        expect(hosts.size).toBe(1);
        expect(hosts.has(0)).toBe(false);
        seen.add([...hosts].join());
        batches++;
      }
      return batches;
    })();
    for (const gen of [2, 3]) await publish(state, gen);
    publishing = false;
    expect(await reader).toBeGreaterThan(3);
    // the reader really crossed the switches
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(seen.has('3')).toBe(true);
  });

  it('the previous version expires: its meta after the grace period, its entries with their TTL', async () => {
    let now = Date.UTC(2024, 2, 2);
    const clock = () => now;
    const state = new MemoryStateStore(1_000_000, clock);
    const first = await publish(state, 1, { now: clock });
    const second = await publish(state, 2, { now: clock });
    now += 61_000; // past the 60 s grace
    expect(await state.get([metaKey(first.version)])).toEqual([null]);
    expect((await state.get([metaKey(second.version)]))[0]).not.toBeNull();
    expect((await state.get([entryKey(first.version, 'process_image', IMAGES[0]!)]))[0]).not.toBeNull();
    now += 3_600_000; // past the version TTL
    expect(await state.get([entryKey(first.version, 'process_image', IMAGES[0]!)])).toEqual([null]);
    // the live version's meta expires before its entries, so it is never live with entries gone
    expect(second.meta.expires_at).toBeLessThan(second.meta.loaded_at + 3_600_000);
  });
});
