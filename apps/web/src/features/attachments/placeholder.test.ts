import { describe, expect, it } from 'bun:test';
import { rgbaToThumbHash } from 'thumbhash';
import { placeholderDataUrl } from './placeholder.ts';

/** A ThumbHash in base64, as the server sends it, of a small red-to-blue picture. */
function testThumbHash() {
  const width = 32;
  const height = 24;
  const rgba = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    rgba.set([Math.round((255 * (pixel % width)) / width), 40, 200, 255], pixel * 4);
  }
  return btoa(String.fromCharCode(...rgbaToThumbHash(width, height, rgba)));
}

describe('placeholderDataUrl', () => {
  it('draws a ThumbHash as a PNG image address', () => {
    const url = placeholderDataUrl(testThumbHash());
    expect(url).toStartWith('data:image/png;base64,');
    // A real PNG: its signature, then an image header.
    const bytes = Uint8Array.from(atob(url?.split(',')[1] ?? ''), (char) => char.charCodeAt(0));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('draws the same hash once, and gives nothing for what is not a hash', () => {
    const hash = testThumbHash();
    expect(placeholderDataUrl(hash)).toBe(placeholderDataUrl(hash) as string);
    expect(placeholderDataUrl('not base64!')).toBeUndefined();
    expect(placeholderDataUrl('')).toBeUndefined();
    expect(placeholderDataUrl(btoa('abc'))).toBeUndefined();
  });
});
