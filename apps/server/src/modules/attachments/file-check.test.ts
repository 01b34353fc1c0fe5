import { describe, expect, it } from 'bun:test';
import { isContentOfType } from './file-check.ts';

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('isContentOfType', () => {
  it('accepts files whose first bytes match their declared type', () => {
    expect(isContentOfType('image/png', bytes(PNG, [0, 0, 0, 13]))).toBe(true);
    expect(isContentOfType('image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(isContentOfType('image/gif', bytes('GIF89a', [1, 0]))).toBe(true);
    expect(isContentOfType('image/webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe(true);
    expect(isContentOfType('application/pdf', bytes('%PDF-1.7\n'))).toBe(true);
    expect(isContentOfType('application/zip', bytes([0x50, 0x4b, 0x03, 0x04]))).toBe(true);
    expect(isContentOfType('video/mp4', bytes([0, 0, 0, 0x20], 'ftypisom'))).toBe(true);
    expect(isContentOfType('audio/mpeg', bytes('ID3', [4, 0]))).toBe(true);
    expect(isContentOfType('audio/ogg', bytes('OggS', [0]))).toBe(true);
    expect(isContentOfType('text/plain', bytes('Grocery list: crème fraîche, ½ lemon\n'))).toBe(true);
  });

  it('refuses HTML dressed up as a PNG, or as text', () => {
    expect(isContentOfType('image/png', bytes('<html><script>alert(1)</script></html>'))).toBe(false);
    expect(isContentOfType('text/plain', bytes('  <!DOCTYPE html><html>'))).toBe(false);
    expect(isContentOfType('text/plain', bytes('<svg onload=alert(1)>'))).toBe(false);
  });

  it('refuses one type claiming to be another, and binary claiming to be text', () => {
    expect(isContentOfType('image/jpeg', bytes(PNG))).toBe(false);
    expect(isContentOfType('application/pdf', bytes([0x50, 0x4b, 0x03, 0x04]))).toBe(false);
    expect(isContentOfType('text/plain', bytes(PNG))).toBe(false);
    expect(isContentOfType('text/plain', bytes([0xc3, 0x28, 0x41, 0x41, 0x41, 0x41, 0x41]))).toBe(false);
  });
});
