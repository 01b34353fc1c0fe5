import { describe, expect, it } from 'bun:test';
import type { Announcement, Me } from '@gopherchat/api';
import { canPostAnnouncements, mergeAnnouncements } from './feed.ts';

const make = (id: number): Announcement => ({ id: String(id), text: `#${id}`, createdAt: '2026-11-24T00:00:00.000Z' });

describe('mergeAnnouncements', () => {
  it('keeps newest first by numeric id, not by string order', () => {
    expect(mergeAnnouncements([make(9)], [make(10), make(2)]).map((a) => a.id)).toEqual(['10', '9', '2']);
  });

  it('keeps each id once when the list and the live stream overlap', () => {
    expect(mergeAnnouncements([make(3), make(2)], [make(3), make(4)]).map((a) => a.id)).toEqual(['4', '3', '2']);
  });

  it('drops the oldest beyond the cap', () => {
    const many = Array.from({ length: 10 }, (_, index) => make(index + 1));
    expect(mergeAnnouncements([], many, 3).map((a) => a.id)).toEqual(['10', '9', '8']);
  });
});

describe('canPostAnnouncements', () => {
  it('offers posting to server admins only (every account was offered it)', () => {
    expect(canPostAnnouncements({ role: 'admin' })).toBe(true);
    expect(canPostAnnouncements({ role: 'member' })).toBe(false);
  });

  it('offers nothing to a person remembered from before roles existed', () => {
    expect(canPostAnnouncements({} as Pick<Me, 'role'>)).toBe(false);
  });
});
