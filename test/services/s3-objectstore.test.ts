// The object store conformance suite against the real S3 server (S3Proxy), under a
// prefix unique to this run.
import { S3ObjectStore } from '../../warehouse/objectstore/s3.js';
import { objectStoreConformance } from '../conformance/objectstore.js';
import { requireService, runId, services, tcpProbe } from './env.js';
import { describe } from 'vitest';

const up = await requireService('s3', () => tcpProbe(services.s3.endpoint));

describe.runIf(up)('S3 object store', () => {
  objectStoreConformance('S3 (S3Proxy)', () =>
    S3ObjectStore.create({
      endpoint: services.s3.endpoint,
      region: services.s3.region,
      bucket: services.s3.bucket,
      prefix: `conformance/${runId('os')}`,
      accessKeyId: services.s3.accessKeyId,
      secretAccessKey: services.s3.secretAccessKey,
      partSize: 5 * 1024 * 1024,
    }),
  );
});
