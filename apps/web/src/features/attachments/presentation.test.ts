import { describe, expect, it } from 'bun:test';
import {
  ATTACHMENT_MAX_BYTES,
  type AttachmentFacts,
  type AttachmentLinks,
  type AttachmentStatus,
} from '@gopherchat/api';
import { fileBadge, formatBytes, previewBox, showAttachment, videoBox } from './presentation.ts';

const photo: AttachmentFacts = {
  id: 'photo',
  fileName: 'beach.jpg',
  contentType: 'image/jpeg',
  byteSize: 2_000_000,
  kind: 'image',
  width: 1200,
  height: 800,
};
const pdf: AttachmentFacts = { ...photo, id: 'pdf', fileName: 'menu.pdf', kind: 'file', width: null, height: null };
const song: AttachmentFacts = { ...pdf, id: 'song', fileName: 'song.mp3', contentType: 'audio/mpeg', kind: 'audio' };
/** The same song in a message sent before audio could play: its facts said `file`, and still do. */
const oldSong: AttachmentFacts = { ...song, kind: 'file' };

const status = (state: AttachmentStatus['state'], extra: Partial<AttachmentStatus> = {}): AttachmentStatus => ({
  id: 'photo',
  state,
  placeholder: null,
  hasThumbnail: false,
  ...extra,
});
const links = (state: AttachmentStatus['state'], extra: Partial<AttachmentLinks> = {}): AttachmentLinks => ({
  ...status(state),
  url: 'https://store.test/original',
  downloadUrl: null,
  thumbnailUrl: null,
  expiresAt: '2030-01-01T00:10:00Z',
  ...extra,
});

describe('showAttachment', () => {
  it('is loading until something is known of the file', () => {
    expect(showAttachment(photo, undefined, undefined).state).toBe('loading');
  });

  it('shows an image being processed, then its placeholder from the live event, then its thumbnail', () => {
    const processing = { links: links('processing'), isMissing: false };
    expect(showAttachment(photo, processing, undefined)).toEqual({
      state: 'processing',
      placeholder: null,
      thumbnailUrl: null,
      url: 'https://store.test/original',
      downloadUrl: 'https://store.test/original',
    });
    // The event is newer than the links: its placeholder shows while the thumbnail's link is asked for.
    const processed = status('ready', { placeholder: 'HASH', hasThumbnail: true });
    expect(showAttachment(photo, processing, processed)).toMatchObject({ state: 'processing', placeholder: 'HASH' });
    const ready = {
      links: links('ready', { placeholder: 'HASH', hasThumbnail: true, thumbnailUrl: 'https://store.test/thumb' }),
      isMissing: false,
    };
    expect(showAttachment(photo, ready, processed)).toEqual({
      state: 'ready',
      placeholder: 'HASH',
      thumbnailUrl: 'https://store.test/thumb',
      url: 'https://store.test/original',
      downloadUrl: 'https://store.test/original',
    });
    // An older event (the one from before it was processed) does not take it back.
    expect(showAttachment(photo, ready, status('processing')).state).toBe('ready');
  });

  it('says an image failed when its processing did, and that a file is gone when the server left it out', () => {
    const missing = { links: undefined, isMissing: true };
    expect(showAttachment(photo, missing, status('failed')).state).toBe('failed');
    expect(showAttachment(photo, { links: links('processing'), isMissing: false }, status('failed')).state).toBe(
      'failed',
    );
    expect(showAttachment(photo, missing, undefined).state).toBe('gone');
  });

  it('shows other files as ready once their links are known', () => {
    expect(showAttachment(pdf, { links: links('ready'), isMissing: false }, undefined)).toMatchObject({
      state: 'ready',
      url: 'https://store.test/original',
      downloadUrl: 'https://store.test/original',
    });
  });

  it('plays audio from its inline link as soon as it is known, and saves it with its download link', () => {
    const playable = { links: links('ready', { downloadUrl: 'https://store.test/save' }), isMissing: false };
    expect(showAttachment(song, { links: undefined, isMissing: false }, undefined).state).toBe('loading');
    expect(showAttachment(song, playable, undefined)).toEqual({
      state: 'ready',
      placeholder: null,
      thumbnailUrl: null,
      url: 'https://store.test/original',
      downloadUrl: 'https://store.test/save',
    });
    // A card from before audio played: its Download link saves the file rather than opening the player's inline link.
    expect(showAttachment(oldSong, playable, undefined)).toMatchObject({
      state: 'ready',
      downloadUrl: 'https://store.test/save',
    });
  });

  it('downloads with the file’s own link from a server that sends no download link', () => {
    const { downloadUrl: _, ...older } = links('ready');
    const entry = { links: older as AttachmentLinks, isMissing: false };
    expect(showAttachment(song, entry, undefined).downloadUrl).toBe('https://store.test/original');
  });
});

describe('previewBox', () => {
  it('fits an image in the box, keeping its proportions, and never enlarges it', () => {
    expect(previewBox({ width: 1200, height: 800 }, 320)).toEqual({ width: 320, height: 213 });
    expect(previewBox({ width: 800, height: 1200 }, 320)).toEqual({ width: 213, height: 320 });
    expect(previewBox({ width: 100, height: 50 }, 320)).toEqual({ width: 100, height: 50 });
    expect(previewBox({ width: 10_000, height: 1 }, 320)).toEqual({ width: 320, height: 1 });
  });

  it('is square when the size is not known', () => {
    expect(previewBox({ width: null, height: null }, 240)).toEqual({ width: 240, height: 240 });
  });
});

describe('videoBox', () => {
  it('is 16:9 at the widest when the video’s size is not known (the server reads none)', () => {
    expect(videoBox({ width: null, height: null }, 320)).toEqual({ width: 320, height: 180 });
  });

  it('keeps a known size’s proportions, as an image’s box does', () => {
    expect(videoBox({ width: 1080, height: 1920 }, 320)).toEqual({ width: 180, height: 320 });
    expect(videoBox({ width: 640, height: 480 }, 320)).toEqual({ width: 320, height: 240 });
  });
});

describe('formatBytes', () => {
  it('says sizes in the units people read', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(820)).toBe('820 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(14 * 1024 + 300)).toBe('14 KB');
    expect(formatBytes(2.4 * 1024 * 1024)).toBe('2.4 MB');
    expect(formatBytes(ATTACHMENT_MAX_BYTES)).toBe('25 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB');
  });
});

describe('fileBadge', () => {
  it('labels a file by its ending, or as a file when it has none worth showing', () => {
    expect(fileBadge('menu.pdf')).toBe('PDF');
    expect(fileBadge('song.Mp3')).toBe('MP3');
    expect(fileBadge('archive.tar.gz')).toBe('GZ');
    expect(fileBadge('README')).toBe('FILE');
    expect(fileBadge('.profile')).toBe('FILE');
    expect(fileBadge('notes.markdown')).toBe('FILE');
  });
});
