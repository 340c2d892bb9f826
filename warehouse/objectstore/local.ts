/**
 * LocalObjectStore: the embedded ObjectStore, a directory on the local disk.
 * Writes go to a temporary file in the same directory and are renamed into place, so a
 * reader (DuckDB scanning the lake) never sees half a Parquet file, and a replay that
 * rewrites a key replaces the object atomically.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NightjarError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore } from './port.js';

/** Prefix of in-flight temporary files; list() hides them. */
const TEMP_PREFIX = '.tmp-';

/** Throws INVALID_FIELD for keys that could escape the root or are not plain relative paths. */
export function validateKey(key: string): void {
  const bad =
    key.length === 0 ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    /^[A-Za-z]:/.test(key) ||
    key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..' || seg.startsWith(TEMP_PREFIX));
  if (bad) throw new NightjarError('INVALID_FIELD', `invalid object key ${JSON.stringify(key)}: use relative '/'-separated names without '.', '..' or empty segments`);
}

function validatePrefix(prefix: string): void {
  if (prefix === '') return;
  validateKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

function storeError(op: string, key: string, err: unknown, retriable?: boolean): NightjarError {
  const message = err instanceof Error ? err.message : String(err);
  return new NightjarError('OBJECT_STORE_FAILED', `local object store: ${op} ${key}: ${message}`, { cause: err, ...(retriable === undefined ? {} : { retriable }) });
}

export class LocalObjectStore implements ObjectStore {
  readonly name = 'local';
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  /** Opens (and creates) the directory `root`. */
  static async create(root: string): Promise<LocalObjectStore> {
    const abs = path.resolve(root);
    try {
      await mkdir(abs, { recursive: true });
    } catch (err) {
      throw storeError('create', abs, err, false);
    }
    return new LocalObjectStore(abs);
  }

  /** The local path of a key; the SQL engine reads the lake through these paths. */
  pathOf(key: string): string {
    validateKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.atomically(key, (tmp) => writeFile(tmp, body));
  }

  async putFile(key: string, source: string): Promise<void> {
    await this.atomically(key, (tmp) => copyFile(source, tmp));
  }

  async get(key: string): Promise<Uint8Array> {
    const file = this.pathOf(key);
    try {
      return await readFile(file);
    } catch (err) {
      // A missing key will not appear by retrying; other I/O errors might pass.
      throw storeError('get', key, err, (err as NodeJS.ErrnoException).code === 'ENOENT' ? false : undefined);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    validatePrefix(prefix);
    // Walk from the deepest directory the prefix names, then filter by the full prefix.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash >= 0 ? prefix.slice(0, slash) : '';
    const out: ObjectInfo[] = [];
    await this.walk(dirKey, out);
    return out.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      try {
        await rm(this.pathOf(key), { force: true });
      } catch (err) {
        throw storeError('delete', key, err);
      }
    }
  }

  async close(): Promise<void> {
    // Nothing held open.
  }

  private async atomically(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const file = this.pathOf(key);
    const dir = path.dirname(file);
    // The temp name keeps no extension of its own, so a reader globbing '*.parquet' skips it.
    const tmp = path.join(dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${path.basename(file)}.part`);
    try {
      await mkdir(dir, { recursive: true });
      await write(tmp);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw storeError('put', key, err);
    }
  }

  private async walk(dirKey: string, out: ObjectInfo[]): Promise<void> {
    const dir = dirKey === '' ? this.root : path.join(this.root, ...dirKey.split('/'));
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw storeError('list', dirKey, err);
    }
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(key, out);
      else if (entry.isFile()) out.push({ key, size: (await stat(path.join(dir, entry.name))).size });
    }
  }
}
