import { describe, expect, it } from 'bun:test';
import { isCarryingFiles, pastedFiles } from './picked-files.ts';

const transfer = (types: string[], files: File[] = []) => ({ types, files: files as unknown as FileList });
const screenshot = new File([new Uint8Array(4)], 'image.png', { type: 'image/png' });

describe('pastedFiles', () => {
  it('takes a pasted image', () => {
    expect(pastedFiles(transfer(['Files'], [screenshot]))).toEqual([screenshot]);
    expect(pastedFiles(transfer(['text/html', 'Files'], [screenshot]))).toEqual([screenshot]);
  });

  it('leaves text alone, even with a picture of itself', () => {
    expect(pastedFiles(transfer(['text/plain']))).toEqual([]);
    expect(pastedFiles(transfer(['text/plain', 'text/html', 'Files'], [screenshot]))).toEqual([]);
    expect(pastedFiles(null)).toEqual([]);
  });
});

describe('isCarryingFiles', () => {
  it('tells files dragged in from text or links', () => {
    expect(isCarryingFiles(transfer(['Files']))).toBe(true);
    expect(isCarryingFiles(transfer(['text/uri-list', 'text/plain']))).toBe(false);
    expect(isCarryingFiles(null)).toBe(false);
  });
});
