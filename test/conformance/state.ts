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

    it('keeps sorted-set scores by add, min and max, and lists the top members', async () => {
      await store.zUpdate([
        { key: k('z'), member: 'b.example', score: 1, mode: 'add' },
        { key: k('z'), member: 'a.example', score: 1, mode: 'add' },
        { key: k('z'), member: 'b.example', score: 2, mode: 'add' },
        { key: k('zmin'), member: 'm', score: 500, mode: 'min' },
        { key: k('zmin'), member: 'm', score: 700, mode: 'min' },
        { key: k('zmin'), member: 'm', score: 300, mode: 'min' },
        { key: k('zmax'), member: 'm', score: 500, mode: 'max' },
        { key: k('zmax'), member: 'm', score: 300, mode: 'max' },
        { key: k('zmax'), member: 'n', score: 1_700_000_000_123, mode: 'max' },
      ]);
      expect(await store.zTop([k('z'), k('zmax'), k('znone')], 10)).toEqual([
        [['b.example', 3], ['a.example', 1]],
        [['n', 1_700_000_000_123], ['m', 500]],
        [],
      ]);
      expect(await store.zTop([k('z')], 1)).toEqual([[['b.example', 3]]]);
      // equal scores come in reverse member order, as Redis ZRANGE REV gives them
      await store.zUpdate([{ key: k('tie'), member: 'x', score: 1, mode: 'add' }, { key: k('tie'), member: 'y', score: 1, mode: 'add' }]);
      expect(await store.zTop([k('tie')], 5)).toEqual([[['y', 1], ['x', 1]]]);
      expect(await store.zScores([[k('zmin'), 'm'], [k('zmax'), 'm'], [k('zmax'), 'absent'], [k('znone'), 'm']])).toEqual([300, 500, null, null]);
    });

    it('expires sorted sets updated with a TTL', async () => {
      await store.zUpdate([{ key: k('zttl'), member: 'm', score: 1, mode: 'add' }], 1);
      expect(await store.zScores([[k('zttl'), 'm']])).toEqual([1]);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await store.zTop([k('zttl')], 5)).toEqual([[]]);
    });

    it('counts the union of several sketches per query, as PFCOUNT with several keys', async () => {
      await store.hllAdd([[k('u1'), 'a'], [k('u1'), 'b'], [k('u2'), 'b'], [k('u2'), 'c'], [k('u3'), 'd']]);
      expect(await store.hllCountUnion([[k('u1'), k('u2')], [k('u1'), k('u2'), k('u3'), k('u-missing')], [k('u3')], [k('u-missing')], []])).toEqual([3, 4, 1, 0, 0]);
      // large overlapping sketches: days of one week sharing most members
      const days: [string, string][] = [];
      for (let d = 0; d < 7; d++) for (let i = 0; i < 3_000; i++) days.push([k(`day${d}`), `host-${d * 500 + i}`]);
      await store.hllAdd(days);
      const [n] = await store.hllCountUnion([Array.from({ length: 7 }, (_, d) => k(`day${d}`))]);
      expect(Math.abs(n! - 6_000) / 6_000).toBeLessThan(0.03); // hosts 0 … 5,999
      expect(await store.hllCountUnion([])).toEqual([]);
    });

    it('expires sketches added with a TTL', async () => {
      await store.hllAdd([[k('hllttl'), 'a'], [k('hllttl'), 'b']], 1);
      expect(await store.hllCountUnion([[k('hllttl')]])).toEqual([2]);
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await store.hllCount([k('hllttl')])).toEqual([0]);
    });

    it('deletes keys and sketches', async () => {
      await store.set([[k('d'), '1']]);
      await store.hllAdd([[k('dh'), 'm']]);
      await store.zUpdate([{ key: k('dz'), member: 'm', score: 1, mode: 'add' }]);
      await store.delete([k('d'), k('dh'), k('dz')]);
      expect(await store.get([k('d')])).toEqual([null]);
      expect(await store.hllCount([k('dh')])).toEqual([0]);
      expect(await store.zTop([k('dz')], 5)).toEqual([[]]);
    });
  });
}
