/**
 * The object store port's conformance suite: the same assertions for the local
 * directory (embedded) and S3 (scale-out). `create` returns a store rooted at a fresh,
 * empty prefix.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NightjarError } from '../../core/errors.js';
import type { ObjectStore } from '../../warehouse/objectstore/port.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

export function objectStoreConformance(label: string, create: () => Promise<ObjectStore>): void {
  describe(`ObjectStore conformance: ${label}`, () => {
    let store: ObjectStore;
    let tmp: string;

    beforeAll(async () => {
      store = await create();
      tmp = await mkdtemp(path.join(os.tmpdir(), 'nightjar-osc-'));
    });
    afterAll(async () => {
      if (store) {
        const all = await store.list('');
        await store.delete(all.map((o) => o.key));
        await store.close();
      }
      if (tmp) await rm(tmp, { recursive: true, force: true });
    });

    it('puts, gets and replaces an object whole', async () => {
      await store.put('events/source=windows/dt=2024-01-01/hour=00/a.parquet', Buffer.from('first version'));
      expect(text(await store.get('events/source=windows/dt=2024-01-01/hour=00/a.parquet'))).toBe('first version');
      await store.put('events/source=windows/dt=2024-01-01/hour=00/a.parquet', Buffer.from('v2'));
      expect(text(await store.get('events/source=windows/dt=2024-01-01/hour=00/a.parquet'))).toBe('v2');
    });

    it('uploads local files byte for byte, including ones larger than one multipart part', async () => {
      const small = path.join(tmp, 'small.bin');
      await writeFile(small, Buffer.from([0, 1, 2, 255]));
      await store.putFile('files/small.bin', small);
      expect([...(await store.get('files/small.bin'))]).toEqual([0, 1, 2, 255]);

      // 5 MiB + 3 bytes: over the smallest multipart part size, so S3 gets two parts
      const big = Buffer.alloc(5 * 1024 * 1024 + 3);
      for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
      big[big.length - 1] = 7;
      const bigFile = path.join(tmp, 'big.bin');
      await writeFile(bigFile, big);
      await store.putFile('files/big.bin', bigFile);
      const back = Buffer.from(await store.get('files/big.bin'));
      expect(back.length).toBe(big.length);
      expect(back.equals(big)).toBe(true);
    });

    it('lists recursively under a prefix, sorted by key, with sizes', async () => {
      await store.put('list/b/2.txt', Buffer.from('22'));
      await store.put('list/a/z/1.txt', Buffer.from('1'));
      await store.put('list/a/0.txt', Buffer.from(''));
      await store.put('list/ab.txt', Buffer.from('abc'));
      expect(await store.list('list/')).toEqual([
        { key: 'list/a/0.txt', size: 0 },
        { key: 'list/a/z/1.txt', size: 1 },
        { key: 'list/ab.txt', size: 3 },
        { key: 'list/b/2.txt', size: 2 },
      ]);
      expect((await store.list('list/a/')).map((o) => o.key)).toEqual(['list/a/0.txt', 'list/a/z/1.txt']);
      expect((await store.list('list/a')).map((o) => o.key)).toEqual(['list/a/0.txt', 'list/a/z/1.txt', 'list/ab.txt']);
      expect(await store.list('nothing-here/')).toEqual([]);
    });

    it('deletes objects, and deleting a missing key is no error', async () => {
      await store.put('del/x', Buffer.from('x'));
      await store.put('del/y', Buffer.from('y'));
      await store.delete(['del/x', 'del/missing']);
      expect((await store.list('del/')).map((o) => o.key)).toEqual(['del/y']);
    });

    it('fails a get of a missing object with a non-retriable OBJECT_STORE_FAILED', async () => {
      const err = await store.get('no/such/object').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NightjarError);
      expect((err as NightjarError).code).toBe('OBJECT_STORE_FAILED');
      expect((err as NightjarError).retriable).toBe(false);
    });

    it('rejects keys that could escape the store', async () => {
      for (const key of ['/abs', '../up', 'a//b', 'a/./b']) {
        await expect(store.put(key, Buffer.from('x'))).rejects.toMatchObject({ code: 'INVALID_FIELD' });
      }
    });
  });
}
