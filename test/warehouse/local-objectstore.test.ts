import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NightjarError } from '../../core/errors.js';
import { LocalObjectStore, validateKey } from '../../warehouse/objectstore/local.js';

let dir: string;
let store: LocalObjectStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-os-'));
  store = await LocalObjectStore.create(path.join(dir, 'lake'));
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('LocalObjectStore', () => {
  it('puts, gets and replaces objects whole', async () => {
    await store.put('events/source=windows/a.parquet', Buffer.from('one'));
    expect(text(await store.get('events/source=windows/a.parquet'))).toBe('one');
    await store.put('events/source=windows/a.parquet', Buffer.from('two, longer'));
    expect(text(await store.get('events/source=windows/a.parquet'))).toBe('two, longer');
    // No temporary files are left behind.
    expect(await readdir(path.join(dir, 'lake/events/source=windows'))).toEqual(['a.parquet']);
  });

  it('uploads a local file', async () => {
    const src = path.join(dir, 'src.bin');
    await writeFile(src, Buffer.from([1, 2, 3]));
    await store.putFile('x/y.bin', src);
    expect([...(await store.get('x/y.bin'))]).toEqual([1, 2, 3]);
  });

  it('lists recursively, sorted, filtered by prefix, with sizes', async () => {
    await store.put('b/2.txt', Buffer.from('22'));
    await store.put('a/z/1.txt', Buffer.from('1'));
    await store.put('a/0.txt', Buffer.from(''));
    await store.put('ab.txt', Buffer.from('abc'));
    expect(await store.list('')).toEqual([
      { key: 'a/0.txt', size: 0 }, { key: 'a/z/1.txt', size: 1 }, { key: 'ab.txt', size: 3 }, { key: 'b/2.txt', size: 2 },
    ]);
    expect((await store.list('a/')).map((o) => o.key)).toEqual(['a/0.txt', 'a/z/1.txt']);
    expect((await store.list('a')).map((o) => o.key)).toEqual(['a/0.txt', 'a/z/1.txt', 'ab.txt']);
    expect(await store.list('missing/')).toEqual([]);
  });

  it('deletes, and a missing object is a non-retriable OBJECT_STORE_FAILED', async () => {
    await store.put('k/v', Buffer.from('x'));
    await store.delete(['k/v', 'k/never-existed']);
    expect(await store.list('k/')).toEqual([]);
    const err = await store.get('k/v').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NightjarError);
    expect((err as NightjarError).code).toBe('OBJECT_STORE_FAILED');
    expect((err as NightjarError).retriable).toBe(false);
  });

  it('rejects keys that escape the root or are not relative', async () => {
    for (const key of ['../evil', 'a/../../b', '/etc/passwd', '', 'a//b', './a', 'C:/x', 'a\\b']) {
      expect(() => validateKey(key), key).toThrow(NightjarError);
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/invalid object key/);
    }
    await expect(store.list('../')).rejects.toThrow(/invalid object key/);
  });
});
