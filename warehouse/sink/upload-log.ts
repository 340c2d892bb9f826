/**
 * The sink's upload log: before a flush uploads its Parquet files, it records their keys
 * in `_sink/<origin hash>/<first>-<last>.json` (origin = topic and partition), and
 * deletes that record once the offsets are committed. After a crash or a rebalance the
 * next owner replays from the committed offset; its flushes may cut the offsets
 * differently, so uploads of the uncommitted flushes are deleted by their log entries
 * before the replay writes its own. Together with deterministic object names this keeps
 * every record exactly once in the lake.
 *
 * Hive and Trino ignore paths starting with `_`, and the log lives beside the table
 * directories, not inside them.
 */
import { originHash } from '../lake/partition.js';
import type { ObjectStore } from '../objectstore/port.js';
import { uncommittedUploads } from '../../transport/delivery-decisions.js';

const pad = (n: bigint) => n.toString().padStart(20, '0');

export interface UploadEntry {
  key: string;
  first: bigint;
  last: bigint;
}

export class UploadLog {
  constructor(private readonly store: ObjectStore) {}

  private dir(origin: string): string {
    return `_sink/${originHash(origin)}/`;
  }

  entryKey(origin: string, first: bigint, last: bigint): string {
    return `${this.dir(origin)}${pad(first)}-${pad(last)}.json`;
  }

  async record(origin: string, first: bigint, last: bigint, keys: readonly string[]): Promise<string> {
    const key = this.entryKey(origin, first, last);
    await this.store.put(key, Buffer.from(JSON.stringify({ origin, first: first.toString(), last: last.toString(), keys }), 'utf8'));
    return key;
  }

  async entries(origin: string): Promise<UploadEntry[]> {
    const out: UploadEntry[] = [];
    for (const o of await this.store.list(this.dir(origin))) {
      const m = /\/(\d+)-(\d+)\.json$/.exec(o.key);
      if (m) out.push({ key: o.key, first: BigInt(m[1]!), last: BigInt(m[2]!) });
    }
    return out;
  }

  /**
   * Deletes the objects of uploads that were never committed (first offset at or after
   * `replayFirst`) and forgets entries of committed ones. Returns the objects deleted.
   */
  async undoUncommitted(origin: string, replayFirst: bigint): Promise<string[]> {
    const { remove, forget } = uncommittedUploads(await this.entries(origin), replayFirst);
    const deleted: string[] = [];
    for (const entry of remove) {
      const { keys } = JSON.parse(Buffer.from(await this.store.get(entry.key)).toString('utf8')) as { keys: string[] };
      await this.store.delete(keys);
      deleted.push(...keys);
    }
    await this.store.delete([...remove, ...forget].map((e) => e.key));
    return deleted;
  }

  async forget(entryKey: string): Promise<void> {
    await this.store.delete([entryKey]);
  }
}
