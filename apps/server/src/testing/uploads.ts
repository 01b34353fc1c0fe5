import type { UploadGrant } from '../platform/blob-store/index.ts';

/** What a browser does with a grant: the grant's fields, then the file, as multipart form data. */
export async function uploadWithGrant(grant: UploadGrant, bytes: Uint8Array, contentType: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
  // The DOM's BlobPart wants an ArrayBuffer-backed view (not a SharedArrayBuffer one).
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  return fetch(grant.url, { method: 'POST', body: form });
}

/** A photo as a phone makes one: a noisy JPEG (so it compresses like a real one) whose EXIF says who took it. */
export async function testPhoto(width = 1200, height = 800): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  const noise = new Uint8Array(width * height * 3);
  for (let index = 0; index < noise.length; index++) noise[index] = (index * 2654435761) >>> 24;
  return new Uint8Array(
    await sharp(noise, { raw: { width, height, channels: 3 } })
      .jpeg({ quality: 85 })
      .withExif({ IFD0: { Artist: 'Ada at home', Copyright: 'GPS 48.85N 2.35E' } })
      .toBuffer(),
  );
}
