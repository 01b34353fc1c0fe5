import { describe, expect, it } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBlobStore } from './blob-store.contract.ts';
import { openBlobStore } from './index.ts';

/** The S3 implementation against the embedded default's local S3-compatible server. */
async function localStore() {
  const directory = mkdtempSync(join(tmpdir(), 'gopherchat-blobs-'));
  const opened = await openBlobStore({ kind: 'local', directory, port: 0, bucket: 'media', allowedOrigins: [] });
  return {
    store: opened.store,
    dispose: async () => {
      await opened.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

testBlobStore('S3 client on the local S3-compatible server', localStore);

describe('the local S3-compatible server', () => {
  it('tells browsers not to guess the type of what it serves', async () => {
    const { store, dispose } = await localStore();
    try {
      await store.write('x', new TextEncoder().encode('<script>alert(1)</script>'), 'text/plain');
      const url = await store.downloadUrl({
        key: 'x',
        fileName: 'x.txt',
        contentType: 'text/plain',
        disposition: 'attachment',
        expiresInSeconds: 60,
      });
      expect((await fetch(url)).headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await dispose();
    }
  });

  it('lets a page of the app upload from another loopback port (CORS preflight)', async () => {
    const { store, dispose } = await localStore();
    try {
      const grant = await store.grantUpload({ key: 'k', contentType: 'image/png', maxBytes: 10, expiresInSeconds: 60 });
      const preflight = await fetch(grant.url, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:5173',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    } finally {
      await dispose();
    }
  });
});
