import { describe, expect, it } from 'bun:test';
import { disposableFixture } from '../../testing/fixture.ts';
import { uploadWithGrant } from '../../testing/uploads.ts';
import type { BlobStore } from './blob-store.ts';

export interface BlobStoreFixture {
  store: BlobStore;
  dispose(): Promise<void>;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The behaviour every BlobStore must have, checked against a real S3-compatible server. */
export function testBlobStore(name: string, makeFixture: () => Promise<BlobStoreFixture>) {
  describe(`BlobStore contract: ${name}`, () => {
    const setUp = disposableFixture(makeFixture);

    it('takes an upload straight from the client with a grant, and tells its size', async () => {
      const { store } = await setUp();
      const bytes = new Uint8Array([...PNG_SIGNATURE, 1, 2, 3, 4]);
      const grant = await store.grantUpload({
        key: 'uploads/a/one',
        contentType: 'image/png',
        maxBytes: 1_000,
        expiresInSeconds: 60,
      });
      expect(Date.parse(grant.expiresAt)).toBeGreaterThan(Date.now());
      const response = await uploadWithGrant(grant, bytes, 'image/png');
      expect(response.ok).toBe(true);
      expect(await store.stat('uploads/a/one')).toEqual({ byteSize: bytes.length });
      expect([...(await store.read('uploads/a/one', { firstBytes: 8 }))]).toEqual(PNG_SIGNATURE);
      expect(await store.read('uploads/a/one')).toEqual(bytes);
    });

    it('serves a file through a presigned GET with the type and file name it was given', async () => {
      const { store } = await setUp();
      await store.write('files/report', new TextEncoder().encode('<html>not really</html>'), 'text/plain');
      const url = await store.downloadUrl({
        key: 'files/report',
        fileName: 'Résumé "final".txt',
        contentType: 'text/plain',
        disposition: 'attachment',
        expiresInSeconds: 60,
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toStartWith('text/plain');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="R_sum_ _final_.txt"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.txt`,
      );
      expect(await response.text()).toBe('<html>not really</html>');
    });

    it('copies an object inside the store, and has nothing to copy from a key with no object', async () => {
      const { store } = await setUp();
      const bytes = new TextEncoder().encode('a file, checked');
      await store.write('uploads/a/upload', bytes, 'text/plain');
      expect(await store.copy('uploads/a/upload', 'files/a/Ünïcode +&= copy')).toBe(true);
      expect(await store.read('files/a/Ünïcode +&= copy')).toEqual(bytes);
      // A copy, not a link: what happens to the original afterwards does not reach it.
      await store.write('uploads/a/upload', new TextEncoder().encode('other bytes'), 'text/plain');
      expect(await store.read('files/a/Ünïcode +&= copy')).toEqual(bytes);
      expect(await store.copy('nothing/here', 'files/b')).toBe(false);
      expect(await store.stat('files/b')).toBeUndefined();
    });

    it('has no object before an upload or after a delete, and deleting twice is fine', async () => {
      const { store } = await setUp();
      expect(await store.stat('nothing/here')).toBeUndefined();
      await store.write('to/delete', new Uint8Array([1, 2]), 'application/octet-stream');
      expect(await store.stat('to/delete')).toEqual({ byteSize: 2 });
      await store.delete('to/delete');
      await store.delete('to/delete');
      expect(await store.stat('to/delete')).toBeUndefined();
    });
  });
}
