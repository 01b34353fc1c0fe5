import type { FormatEnum } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

/**
 * sharp is a native addon: loaded on first use, so that a server whose
 * native library is missing (the compiled binary run without its `lib/`
 * beside it on LD_LIBRARY_PATH) still starts, and only images are unavailable.
 */
async function loadSharp() {
  return (await import('sharp')).default;
}

/** Thumbnails fit in this square; the web client shows them at up to half of it. */
const THUMBNAIL_EDGE = 480;
/** ThumbHash wants at most 100×100 pixels. */
const PLACEHOLDER_EDGE = 100;

export interface ProcessImageInput {
  bytes: Uint8Array;
  contentType: string;
  maxPixels: number;
}

export interface ProcessedImage {
  /** The image as it is served: upright, and without EXIF (camera, location) or other metadata. */
  clean: Uint8Array;
  thumbnail: Uint8Array;
  /** ThumbHash, base64. */
  placeholder: string;
  width: number;
  height: number;
}

const FORMATS: Record<string, keyof FormatEnum & string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/**
 * An uploaded image made fit to serve: re-encoded in its own format without
 * metadata (sharp keeps none unless asked), turned upright per its EXIF
 * orientation, plus a WebP thumbnail and a ThumbHash placeholder. Runs in a
 * worker thread: decoding a large image takes a while.
 */
export async function processImage(input: ProcessImageInput): Promise<ProcessedImage> {
  const format = FORMATS[input.contentType];
  if (!format) throw new Error(`not an image type: ${input.contentType}`);
  const sharp = await loadSharp();
  const isAnimated = format === 'gif' || format === 'webp';

  const clean = await sharp(input.bytes, { limitInputPixels: input.maxPixels, animated: isAnimated })
    .rotate()
    .toFormat(format, format === 'jpeg' ? { quality: 90 } : {})
    .toBuffer({ resolveWithObject: true });
  const thumbnail = await sharp(input.bytes, { limitInputPixels: input.maxPixels })
    .rotate()
    .resize(THUMBNAIL_EDGE, THUMBNAIL_EDGE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer();
  // From the thumbnail, already upright and small: decoding the original a third time would cost far more.
  const small = await sharp(thumbnail)
    .resize(PLACEHOLDER_EDGE, PLACEHOLDER_EDGE, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const placeholder = rgbaToThumbHash(small.info.width, small.info.height, small.data);
  return {
    clean: new Uint8Array(clean.data),
    thumbnail: new Uint8Array(thumbnail),
    placeholder: Buffer.from(placeholder).toString('base64'),
    width: clean.info.width,
    // An animation's frames are stacked: its height is one frame's.
    height: clean.info.pageHeight ?? clean.info.height,
  };
}

/** An image's dimensions from its header, without decoding it; undefined if it cannot be read. */
export async function imageDimensions(bytes: Uint8Array): Promise<{ width: number; height: number } | undefined> {
  const sharp = await loadSharp();
  try {
    const metadata = await sharp(bytes).metadata();
    if (!metadata.width || !metadata.height) return undefined;
    // EXIF orientations 5–8 turn the picture on its side.
    const isSideways = (metadata.orientation ?? 1) >= 5;
    const height = metadata.pageHeight ?? metadata.height;
    return isSideways ? { width: height, height: metadata.width } : { width: metadata.width, height };
  } catch {
    return undefined;
  }
}

/** Profile pictures are this many pixels square; the web app shows them at most half as large. */
const AVATAR_EDGE = 256;

/**
 * A profile picture from an uploaded image: upright, cropped to its centre
 * square, WebP, without metadata. From an image already checked at
 * confirmation; small enough work (one decode, one small encode) to run off
 * the worker pool, in libvips' own threads.
 */
export async function squareAvatar(bytes: Uint8Array, maxPixels: number): Promise<Uint8Array> {
  const sharp = await loadSharp();
  const avatar = await sharp(bytes, { limitInputPixels: maxPixels })
    .rotate()
    .resize(AVATAR_EDGE, AVATAR_EDGE, { fit: 'cover', position: 'centre' })
    .webp({ quality: 80 })
    .toBuffer();
  return new Uint8Array(avatar);
}
