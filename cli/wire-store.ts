/** Picks the lake's object store named by the configuration: a local directory or S3. */
import type { NightjarConfig } from './config/schema.js';
import type { ObjectStore } from '../warehouse/objectstore/port.js';
import { lakeDir } from './embedded-run.js';

/** `root` is the lake's S3 URI for Trino, or null for a local directory. */
export async function openObjectStore(config: NightjarConfig): Promise<{ store: ObjectStore; root: string | null }> {
  if (config.lake.backend === 's3') {
    const { S3ObjectStore } = await import('../warehouse/objectstore/s3.js');
    const s3 = config.lake.s3;
    const store = await S3ObjectStore.create({
      endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, prefix: s3.prefix,
      accessKeyId: s3.access_key, secretAccessKey: s3.secret_key, createBucket: true,
    });
    return { store, root: store.uri() };
  }
  const { LocalObjectStore } = await import('../warehouse/objectstore/local.js');
  return { store: await LocalObjectStore.create(lakeDir(config)), root: null };
}

/** Where the lake is, for humans. */
export function lakeLocation(config: NightjarConfig): string {
  const s3 = config.lake.s3;
  return config.lake.backend === 's3' ? `s3://${s3.bucket}/${s3.prefix}` : lakeDir(config);
}
