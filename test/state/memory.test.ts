import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { stateConformance } from '../conformance/state.js';

stateConformance('memory', async () => new MemoryStateStore());

describe('MemoryStateStore bounds', () => {
  it('evicts the oldest keys beyond maxKeys, so memory stays bounded', async () => {
    const store = new MemoryStateStore(3);
    await store.increment(['a', 'b', 'c', 'd']);
    expect(store.size).toBe(3);
    expect(await store.get(['a', 'd'])).toEqual([null, '1']);
  });
});
