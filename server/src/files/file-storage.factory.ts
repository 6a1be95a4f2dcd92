// Picks the file store from configuration: local disk by default, or an S3-compatible
// object store that several app instances share.
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/config.js';
import type { FileStorage } from './file-storage.js';
import { LocalDiskStorage } from './local-disk.storage.js';
import { S3Storage } from './s3.storage.js';

export function createFileStorage(config: Config): FileStorage {
  if (config.FILE_STORAGE === 'local') return new LocalDiskStorage(config.FILES_DIR);
  return new S3Storage({
    client: s3Client(config),
    bucket: config.S3_BUCKET!,
    prefix: config.S3_KEY_PREFIX,
    partBytes: config.S3_PART_BYTES,
  });
}

export function s3Client(config: Config): S3Client {
  const timeout = config.S3_TIMEOUT_SECONDS * 1000;
  return new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials: { accessKeyId: config.S3_ACCESS_KEY_ID!, secretAccessKey: config.S3_SECRET_ACCESS_KEY! },
    // Checksums only where S3 demands them: many self-hosted S3 servers reject the newer ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
  });
}
