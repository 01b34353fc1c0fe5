import type { TRequestUploadInput, UploadGrantReply } from '@gopherchat/api';
import type { UploadGrant } from '../platform/blob-store/index.ts';

/** What a browser does with a grant: the grant's fields, then the file, as multipart form data. */
export async function uploadWithGrant(grant: UploadGrant, bytes: Uint8Array, contentType: string) {
  const form = new FormData();
  for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
  // The DOM's BlobPart wants an ArrayBuffer-backed view (not a SharedArrayBuffer one).
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  return fetch(grant.url, { method: 'POST', body: form });
}

/** The part of an API client that asks to upload: a test's signed-in person. */
interface Uploader {
  attachments: { requestUpload: { mutate(input: TRequestUploadInput): Promise<UploadGrantReply> } };
}

/**
 * Uploads `bytes` as `uploader` would from a browser: asks for a grant for
 * what is declared (the name, type and size, the real size unless told
 * otherwise), then posts the file with it. Returns the attachment's id, to
 * confirm; throws if the store refused the upload.
 */
export async function uploadFile(
  uploader: Uploader,
  bytes: Uint8Array,
  declared: { contentType: string; fileName?: string; byteSize?: number },
): Promise<string> {
  const grant = await uploader.attachments.requestUpload.mutate({
    fileName: declared.fileName ?? 'file',
    // Declared types outside the allowed list are the point of some tests: the server refuses them.
    contentType: declared.contentType as TRequestUploadInput['contentType'],
    byteSize: declared.byteSize ?? bytes.length,
  });
  const response = await uploadWithGrant(grant, bytes, declared.contentType);
  if (!response.ok) throw new Error(`the store refused the upload: ${response.status} ${await response.text()}`);
  return grant.attachmentId;
}

/** The part of an API client that uploads and confirms: a test's signed-in person. */
interface Confirmer {
  attachments: Uploader['attachments'] & {
    confirm: { mutate(input: { attachmentId: string }): Promise<unknown> };
  };
}

/** A `width` × `height` photo `uploader` uploaded and confirmed and sent nowhere: the way in to a picture. */
export async function confirmedPhoto(uploader: Confirmer, width: number, height: number): Promise<string> {
  const attachmentId = await uploadFile(uploader, await testPhoto(width, height), {
    contentType: 'image/jpeg',
    fileName: 'photo.jpg',
  });
  await uploader.attachments.confirm.mutate({ attachmentId });
  return attachmentId;
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

/** MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint stereo: 144 × 128 000 / 44 100 bytes a frame, unpadded. */
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64];
const MP3_FRAME_BYTES = 417;

/** An MP3 of `frames` silent frames (26 ms each) with no ID3 tag: a file starting with a frame header. */
export function testMp3(frames = 40): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(MP3_FRAME_BYTES * frames);
  for (let frame = 0; frame < frames; frame++) bytes.set(MP3_FRAME_HEADER, frame * MP3_FRAME_BYTES);
  return bytes;
}

/** The start of an MP4: an `ftyp` box (what confirmation checks), then an empty `free` box. Not playable. */
export function testMp4(): Uint8Array {
  const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
  return new Uint8Array([
    ...[0, 0, 0, 0x18, ...ascii('ftypisom'), 0, 0, 2, 0, ...ascii('isomiso2')],
    ...[0, 0, 0, 8, ...ascii('free')],
  ]);
}
