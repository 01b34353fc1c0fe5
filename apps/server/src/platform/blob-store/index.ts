import type { BlobStoreConfig } from '../../env.ts';
import type { BlobStore } from './blob-store.ts';
import { startLocalS3Server } from './local-s3-server.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

export type { BlobStore, UploadGrant } from './blob-store.ts';

/** The configured store; for the embedded default, the local S3-compatible server too. */
export async function openBlobStore(config: BlobStoreConfig): Promise<{ store: BlobStore; close(): Promise<void> }> {
  switch (config.kind) {
    case 'local': {
      const local = await startLocalS3Server(config);
      const store = createS3BlobStore({
        endpoint: local.endpoint,
        publicEndpoint: undefined,
        region: 'us-east-1',
        bucket: config.bucket,
        accessKeyId: local.accessKeyId,
        secretAccessKey: local.secretAccessKey,
        forcePathStyle: true,
      });
      return {
        store,
        close: async () => {
          store.close();
          await local.close();
        },
      };
    }
    case 's3': {
      const store = createS3BlobStore(config.settings);
      return { store, close: async () => store.close() };
    }
    default:
      return config satisfies never;
  }
}
