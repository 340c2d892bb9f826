/**
 * The object store port: where the lake's Parquet files live.
 * Implementations: local.ts (a directory, embedded) and s3.ts (S3 / MinIO / S3Proxy).
 * Keys use '/' separators and never start with '/'.
 */
export interface ObjectInfo {
  key: string;
  size: number;
}

export interface ObjectStore {
  readonly name: string;
  /** Writes the object whole; replaces an existing one with the same key. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** Uploads a local file (multipart where the backend supports it). */
  putFile(key: string, path: string): Promise<void>;
  /** Reads an object; throws OBJECT_STORE_FAILED (not retriable) when missing. */
  get(key: string): Promise<Uint8Array>;
  /** Lists objects under a prefix, recursively, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
