import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore } from './blob-store.ts';

export interface S3Settings {
  /** Where this server reaches the store; unset: AWS S3 itself. */
  endpoint: string | undefined;
  /** Where browsers reach it, if not at `endpoint` (e.g. compose's http://minio:9000 vs http://localhost:9000). */
  publicEndpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most self-hosted stores want /bucket/key rather than bucket.host/key. */
  forcePathStyle: boolean;
}

/** A Content-Disposition value with the name both plainly (ASCII, quotes escaped) and exactly (RFC 5987). */
function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const plain = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${disposition}; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The BlobStore on any S3-compatible service: AWS S3, R2, MinIO, or the embedded local store. */
export function createS3BlobStore(settings: S3Settings): BlobStore & { close(): void } {
  const clientConfig = (endpoint: string | undefined): S3ClientConfig => ({
    endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
    // Otherwise the SDK signs a checksum of an empty body into presigned requests,
    // and the browser's upload (with its real body) no longer matches it.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const internal = new S3Client(clientConfig(settings.endpoint));
  const presigner = settings.publicEndpoint ? new S3Client(clientConfig(settings.publicEndpoint)) : internal;
  const Bucket = settings.bucket;

  return {
    async grantUpload({ key, contentType, maxBytes, expiresInSeconds }) {
      const expiresAt = new Date(Date.now() + expiresInSeconds * 1000);
      const { url, fields } = await createPresignedPost(presigner, {
        Bucket,
        Key: key,
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
        Fields: { 'Content-Type': contentType },
        Expires: expiresInSeconds,
      });
      return { url, fields, expiresAt: expiresAt.toISOString() };
    },

    downloadUrl({ key, fileName, contentType, disposition, expiresInSeconds }) {
      return getSignedUrl(
        presigner,
        new GetObjectCommand({
          Bucket,
          Key: key,
          ResponseContentType: contentType,
          ResponseContentDisposition: contentDisposition(disposition, fileName),
        }),
        { expiresIn: expiresInSeconds },
      );
    },

    async stat(key) {
      try {
        const head = await internal.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { byteSize: head.ContentLength ?? 0 };
      } catch (error) {
        if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
        throw error;
      }
    },

    async read(key, options = {}) {
      const range = options.firstBytes === undefined ? undefined : `bytes=0-${Math.max(0, options.firstBytes - 1)}`;
      const object = await internal.send(new GetObjectCommand({ Bucket, Key: key, Range: range }));
      if (!object.Body) return new Uint8Array();
      return object.Body.transformToByteArray();
    },

    async write(key, bytes, contentType) {
      await internal.send(new PutObjectCommand({ Bucket, Key: key, Body: bytes, ContentType: contentType }));
    },

    async copy(fromKey, toKey) {
      try {
        // URL-encoded, as S3 wants it; each segment apart, as MinIO and every store read it.
        const source = `${Bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
        await internal.send(new CopyObjectCommand({ Bucket, Key: toKey, CopySource: source }));
        return true;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return false;
        throw error;
      }
    },

    async delete(key) {
      await internal.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    close() {
      internal.destroy();
      if (presigner !== internal) presigner.destroy();
    },
  };
}
