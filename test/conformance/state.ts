/**
 * The state port's conformance suite: the same assertions for every implementation
 * (memory embedded, Redis scale-out), so the embedded default is not a toy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateStore } from '../../stream/state/port.js';

export function stateConformance(label: string, create: () => Promise<StateStore>): void {
  describe(`StateStore conformance: ${label}`, () => {
    let store: StateStore;
    const ns = `conf-${Date.now()}-${Math.random().toString(36).slice(2, 8)}:`;
    const k = (s: string) => ns + s;

    beforeAll(async () => {
      store = await create();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('increments in order, repeated keys within one call counting up', async () => {
      expect(await store.increment([k('a'), k('b'), k('a'), k('a')])).toEqual([1, 1, 2, 3]);
      expect(await store.increment([k('a')], 10)).toEqual([13]);
      expect(await store.increment([])).toEqual([]);
    });

    it('gets what was set and null for missing keys', async () => {
      await store.set([[k('x'), 'one'], [k('y'), 'two']]);
      expect(await store.get([k('y'), k('missing'), k('x')])).toEqual(['two', null, 'one']);
    });

    it('expires keys set with a TTL', async () => {
      await store.set([[k('ttl'), 'v']], 1);
      expect(await store.get([k('ttl')])).toEqual(['v']);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await store.get([k('ttl')])).toEqual([null]);
    });

    it('sets only absent keys with setIfAbsent and reports which it set', async () => {
      await store.set([[k('nx1'), 'old']]);
      expect(await store.setIfAbsent([[k('nx1'), 'new'], [k('nx2'), 'new']])).toEqual([false, true]);
      expect(await store.get([k('nx1'), k('nx2')])).toEqual(['old', 'new']);
    });

    it('counts distinct members with HyperLogLog: exact when small, within 2% when large', async () => {
      await store.hllAdd([[k('h1'), 'alice'], [k('h1'), 'bob'], [k('h1'), 'alice'], [k('h2'), 'carol']]);
      expect(await store.hllCount([k('h1'), k('h2'), k('h3')])).toEqual([2, 1, 0]);
      const many: [string, string][] = [];
      for (let i = 0; i < 20_000; i++) many.push([k('big'), `user-${i}`]);
      await store.hllAdd(many);
      await store.hllAdd(many.slice(0, 5_000)); // re-adding members changes nothing
      const [n] = await store.hllCount([k('big')]);
      expect(Math.abs(n! - 20_000) / 20_000).toBeLessThan(0.02);
    });

    it('deletes keys and sketches', async () => {
      await store.set([[k('d'), '1']]);
      await store.hllAdd([[k('dh'), 'm']]);
      await store.delete([k('d'), k('dh')]);
      expect(await store.get([k('d')])).toEqual([null]);
      expect(await store.hllCount([k('dh')])).toEqual([0]);
    });
  });
}
