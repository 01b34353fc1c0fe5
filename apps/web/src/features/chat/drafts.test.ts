import { describe, expect, it } from 'bun:test';
import { createRoot } from 'solid-js';
import { createDrafts } from './drafts.ts';

/** A Storage of a Map, which can be told to refuse writes (full, or a private window). */
function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  let isFull = false;
  return {
    items,
    fill: () => {
      isFull = true;
    },
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (isFull) throw new DOMException('full', 'QuotaExceededError');
      items.set(key, value);
    },
  };
}

const key = 'gopherchat.drafts.me';

describe('drafts', () => {
  it('keeps each conversation’s draft on the device, and gives it back after a reload', () => {
    const storage = memoryStorage();
    const first = createRoot(() => createDrafts(storage, key));
    first.keep('c1', 'Half a thought');
    first.keep('c2', 'Another');
    first.keep('c2', '');
    const reloaded = createRoot(() => createDrafts(storage, key));
    expect(reloaded.of('c1')).toBe('Half a thought');
    expect(reloaded.of('c2')).toBe('');
    expect(JSON.parse(storage.items.get(key) ?? '')).toEqual({ c1: 'Half a thought' });
  });

  it('starts with none from a stored value it cannot read', () => {
    for (const stored of ['not json', '[1,2]', 'null', '{"c1": 5, "c2": "kept"}']) {
      const drafts = createRoot(() => createDrafts(memoryStorage({ [key]: stored }), key));
      expect(drafts.of('c1')).toBe('');
    }
    expect(createRoot(() => createDrafts(memoryStorage({ [key]: '{"c1": 5, "c2": "kept"}' }), key)).of('c2')).toBe(
      'kept',
    );
  });

  it('keeps the draft for the page when the device refuses to store it', () => {
    const storage = memoryStorage();
    storage.fill();
    const drafts = createRoot(() => createDrafts(storage, key));
    drafts.keep('c1', 'Still here');
    expect(drafts.of('c1')).toBe('Still here');
  });
});
