import type { BlobStoreConfig } from '../../env.ts';
import type { Clock } from '../clock/index.ts';
import type { BlobStore } from './blob-store.ts';
import { startLocalStore } from './local-store/server.ts';
import { createS3BlobStore } from './s3-blob-store.ts';

export type { BlobStore, UploadGrant } from './blob-store.ts';

/**
 * The configured store; for the embedded default, the local S3-compatible
 * server too (whose `clock` dates signatures and expiries).
 */
export async function openBlobStore(
  config: BlobStoreConfig,
  options: { clock?: Clock } = {},
): Promise<{ store: BlobStore; close(): Promise<void> }> {
  switch (config.kind) {
    case 'local': {
      const local = await startLocalStore({ ...config, clock: options.clock });
      const store = createS3BlobStore({
        endpoint: local.endpoint,
        publicEndpoint: undefined,
        region: local.region,
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
