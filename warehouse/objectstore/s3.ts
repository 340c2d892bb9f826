/**
 * S3ObjectStore: the scale-out ObjectStore on S3 or anything speaking its API (MinIO,
 * S3Proxy); the only file importing @aws-sdk/client-s3. Keys live under an optional
 * prefix inside one bucket. Large files go up in multipart uploads (S3 objects appear
 * whole or not at all, so readers never see a half-written Parquet file).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { NightjarError, withRetry } from '../../core/errors.js';
import { validateKey } from './local.js';
import type { ObjectInfo, ObjectStore } from './port.js';

export interface S3StoreOptions {
  endpoint: string | null;
  region: string;
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing '/'; '' for the bucket root. */
  prefix: string;
  accessKeyId: string | null;
  secretAccessKey: string | null;
  /** Create the bucket when it does not exist (test and demo setups). */
  createBucket?: boolean;
  /** Files above this size are uploaded in parts of this size (S3's minimum part is 5 MiB). */
  partSize?: number;
}

const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

function s3Error(op: string, key: string, err: unknown): NightjarError {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; message?: string };
  const status = e.$metadata?.httpStatusCode;
  // 4xx other than throttling/timeouts will fail again; 5xx and network errors may pass.
  const retriable = status === undefined || status >= 500 || status === 429 || status === 408;
  return new NightjarError('OBJECT_STORE_FAILED', `S3 ${op} ${key}: ${e.name ?? 'error'}${e.message ? `: ${e.message}` : ''}`, { cause: err, retriable });
}

export class S3ObjectStore implements ObjectStore {
  readonly name = 's3';
  private readonly base: string;

  private constructor(private readonly client: S3Client, private readonly opts: S3StoreOptions) {
    this.base = opts.prefix.replace(/^\/+|\/+$/g, '');
    if (this.base !== '') validateKey(this.base);
  }

  static async create(opts: S3StoreOptions): Promise<S3ObjectStore> {
    const client = new S3Client({
      ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
      region: opts.region,
      ...(opts.accessKeyId && opts.secretAccessKey ? { credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } } : {}),
      // S3-compatible servers serve buckets by path; AWS accepts it too.
      forcePathStyle: opts.endpoint !== null,
      // Default CRC32 trailers (aws-chunked) are not supported by every S3-compatible server.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const store = new S3ObjectStore(client, opts);
    try {
      await client.send(new HeadBucketCommand({ Bucket: opts.bucket }));
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 && opts.createBucket) {
        await client.send(new CreateBucketCommand({ Bucket: opts.bucket })).catch((e: unknown) => {
          throw s3Error('create bucket', opts.bucket, e);
        });
      } else {
        client.destroy();
        const why = status === 404 ? 'the bucket does not exist' : (err as Error).message || (err as Error).name;
        throw new NightjarError('SERVICE_UNAVAILABLE', `cannot open S3 bucket ${opts.bucket} at ${opts.endpoint ?? 'AWS'}: ${why}`, { cause: err });
      }
    }
    return store;
  }

  /** `s3://bucket/prefix/key`: what Trino's external_location needs. */
  uri(key = ''): string {
    const path = [this.base, key].filter((s) => s !== '').join('/');
    return `s3://${this.opts.bucket}/${path}`;
  }

  private full(key: string): string {
    validateKey(key);
    return this.base === '' ? key : `${this.base}/${key}`;
  }

  private retry<T>(fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, { attempts: 5, baseMs: 200, fallback: 'OBJECT_STORE_FAILED' });
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const Key = this.full(key);
    await this.retry(() => this.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key, Body: body })).catch((e: unknown) => {
      throw s3Error('put', key, e);
    }));
  }

  async putFile(key: string, path: string): Promise<void> {
    const Key = this.full(key);
    const partSize = Math.max(5 * 1024 * 1024, this.opts.partSize ?? DEFAULT_PART_SIZE);
    const { size } = await stat(path);
    if (size <= partSize) {
      await this.retry(async () => {
        await this.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key, Body: createReadStream(path), ContentLength: size })).catch((e: unknown) => {
          throw s3Error('put', key, e);
        });
      });
      return;
    }
    await this.retry(() => this.multipart(key, Key, path, size, partSize));
  }

  private async multipart(key: string, Key: string, path: string, size: number, partSize: number): Promise<void> {
    const Bucket = this.opts.bucket;
    const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket, Key })).catch((e: unknown) => {
      throw s3Error('start multipart upload', key, e);
    });
    const UploadId = created.UploadId!;
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let start = 0, PartNumber = 1; start < size; start += partSize, PartNumber++) {
        const end = Math.min(size, start + partSize);
        const res = await this.client.send(
          new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: createReadStream(path, { start, end: end - 1 }), ContentLength: end - start }),
        );
        parts.push({ ETag: res.ETag!, PartNumber });
      }
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    } catch (err) {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw s3Error('multipart upload', key, err);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const Key = this.full(key);
    return this.retry(async () => {
      try {
        const res = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key }));
        return await res.Body!.transformToByteArray();
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') {
          throw new NightjarError('OBJECT_STORE_FAILED', `S3 get ${key}: no such object`, { cause: err, retriable: false });
        }
        throw s3Error('get', key, err);
      }
    });
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    if (prefix !== '') validateKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
    const Prefix = this.base === '' ? prefix : `${this.base}/${prefix}`;
    const strip = this.base === '' ? 0 : this.base.length + 1;
    const out: ObjectInfo[] = [];
    let ContinuationToken: string | undefined;
    do {
      const res = await this.retry(() =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix, ContinuationToken })).catch((e: unknown) => {
          throw s3Error('list', prefix, e);
        }),
      );
      for (const o of res.Contents ?? []) out.push({ key: o.Key!.slice(strip), size: o.Size ?? 0 });
      ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(keys: readonly string[]): Promise<void> {
    // DeleteObjects takes at most 1000 keys; deleting a missing key is not an error.
    for (let i = 0; i < keys.length; i += 1000) {
      const Objects = keys.slice(i, i + 1000).map((k) => ({ Key: this.full(k) }));
      const res = await this.retry(() =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.opts.bucket, Delete: { Objects, Quiet: true } })).catch((e: unknown) => {
          throw s3Error('delete', `${Objects.length} keys`, e);
        }),
      );
      if (res.Errors && res.Errors.length > 0) {
        const first = res.Errors[0]!;
        throw new NightjarError('OBJECT_STORE_FAILED', `S3 delete ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim());
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
