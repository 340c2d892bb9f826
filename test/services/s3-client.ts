// The S3 client the service suites use against S3Proxy.
import { S3Client } from '@aws-sdk/client-s3';
import { services } from './env.js';

export function testS3Client(): S3Client {
  return new S3Client({
    endpoint: services.s3.endpoint,
    region: services.s3.region,
    credentials: { accessKeyId: services.s3.accessKeyId, secretAccessKey: services.s3.secretAccessKey },
    // S3Proxy serves buckets by path, not by virtual host.
    forcePathStyle: true,
    // Recent SDKs add CRC32 checksums (aws-chunked trailers) to every upload by default;
    // S3-compatible servers need not support them, so send them only when the API requires.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
