import { describe, expect, it } from 'bun:test';
import { ATTACHMENT_FILE_NAME_MAX_LENGTH, ATTACHMENT_MAX_BYTES } from '@gopherchat/api';
import { checkFile } from './file-check.ts';

describe('checkFile', () => {
  it('allows an image, with what the server is told of it', () => {
    expect(checkFile({ name: 'cat.png', type: 'image/png', size: 2048 })).toEqual({
      isAllowed: true,
      fileName: 'cat.png',
      contentType: 'image/png',
      byteSize: 2048,
    });
  });

  it('refuses a file larger than the server takes, saying the limit', () => {
    const check = checkFile({ name: 'film.mp4', type: 'video/mp4', size: ATTACHMENT_MAX_BYTES + 1 });
    expect(check).toEqual({
      isAllowed: false,
      reason: '“film.mp4” is too large: files can be at most 25 MB.',
    });
    expect(checkFile({ name: 'film.mp4', type: 'video/mp4', size: ATTACHMENT_MAX_BYTES }).isAllowed).toBe(true);
  });

  it('refuses types that cannot be shared, and empty files', () => {
    expect(checkFile({ name: 'setup.exe', type: 'application/x-msdownload', size: 10 })).toEqual({
      isAllowed: false,
      reason: '“setup.exe” cannot be shared: only images, PDF, ZIP, text, MP3, Ogg and MP4 files can.',
    });
    expect(checkFile({ name: 'page.html', type: 'text/html', size: 10 }).isAllowed).toBe(false);
    // The name's ending is no way around a type the browser knows.
    expect(checkFile({ name: 'page.png', type: 'text/html', size: 10 }).isAllowed).toBe(false);
    expect(checkFile({ name: 'empty.txt', type: 'text/plain', size: 0 })).toEqual({
      isAllowed: false,
      reason: '“empty.txt” is empty.',
    });
  });

  it('reads the type from other names for it, from parameters, or from the name when the browser has none', () => {
    const typeOf = (name: string, type: string) => {
      const check = checkFile({ name, type, size: 5 });
      return check.isAllowed ? check.contentType : undefined;
    };
    expect(typeOf('archive.zip', 'application/x-zip-compressed')).toBe('application/zip');
    expect(typeOf('notes.txt', 'text/plain;charset=utf-8')).toBe('text/plain');
    expect(typeOf('song.MP3', '')).toBe('audio/mpeg');
    expect(typeOf('archive.zip', 'application/octet-stream')).toBe('application/zip');
    expect(typeOf('README', '')).toBeUndefined();
    expect(typeOf('script.sh', '')).toBeUndefined();
  });

  it('shortens a long name in the middle, keeping its ending, and replaces characters names cannot have', () => {
    const long = `${'a'.repeat(300)}.jpeg`;
    const check = checkFile({ name: long, type: 'image/jpeg', size: 5 });
    if (!check.isAllowed) throw new Error('refused');
    expect([...check.fileName].length).toBe(ATTACHMENT_FILE_NAME_MAX_LENGTH);
    expect(check.fileName.endsWith('….jpeg')).toBe(true);
    const odd = checkFile({ name: 'a\\b\u0007.txt', type: 'text/plain', size: 5 });
    expect(odd.isAllowed && odd.fileName).toBe('a_b_.txt');
  });
});
