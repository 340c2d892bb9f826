// Smoke test of the local S3 server (S3Proxy) through @aws-sdk/client-s3: the calls the
// object-store adapter and the lake sink make.
import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, runId, services, tcpProbe } from './env.js';
import { testS3Client } from './s3-client.js';

const up = await requireService('s3', () => tcpProbe(services.s3.endpoint));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.runIf(up)('s3 (S3Proxy)', () => {
  const Bucket = services.s3.bucket;
  const prefix = `smoke/${runId('s3')}/`;
  let s3: S3Client;

  beforeAll(() => {
    s3 = testS3Client();
  });

  afterAll(async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    const Objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (Objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } }));
    s3.destroy();
  });

  it('puts an object and gets the same bytes back', async () => {
    const Key = `${prefix}source=zeek/dt=2026-11-30/conn.json`;
    const body = JSON.stringify({ uid: 'CHhAvVGS1DHFjwGM9', 'id.orig_h': '10.0.0.5', proto: 'tcp' });
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: body, ContentType: 'application/json' }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got.ContentLength).toBe(Buffer.byteLength(body));
  });

  it('lists keys under a prefix, sorted, with delimiters as common prefixes', async () => {
    const keys = ['dt=2026-11-01/a.parquet', 'dt=2026-11-01/b.parquet', 'dt=2026-11-02/a.parquet'].map(
      (k) => `${prefix}list/${k}`,
    );
    for (const Key of keys.slice().reverse()) {
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    }
    const flat = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `${prefix}list/` }));
    expect((flat.Contents ?? []).map((o) => o.Key)).toEqual(keys);
    const grouped = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: `${prefix}list/`, Delimiter: '/' }));
    expect((grouped.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual([
      `${prefix}list/dt=2026-11-01/`,
      `${prefix}list/dt=2026-11-02/`,
    ]);
  });

  it('assembles a multipart upload from its parts in order', async () => {
    const Key = `${prefix}multipart/big.bin`;
    // S3 requires every part but the last to be at least 5 MiB.
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(123_457)];
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const UploadId = created.UploadId!;
    expect(UploadId).toBeTruthy();
    const done = [];
    for (const [i, part] of parts.entries()) {
      const res = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: part }));
      done.push({ PartNumber: i + 1, ETag: res.ETag! });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }));

    const whole = Buffer.concat(parts);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    expect(head.ContentLength).toBe(whole.length);
    // A multipart ETag is "<md5 of the part md5s>-<part count>".
    expect(head.ETag).toMatch(/-3"?$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(whole));
  });

  it('refuses a request signed with the wrong secret', async () => {
    const { S3Client: Client } = await import('@aws-sdk/client-s3');
    const wrong = new Client({
      endpoint: services.s3.endpoint,
      region: services.s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: services.s3.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    await expect(wrong.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    wrong.destroy();
  });
});
