import { createStore, produce } from 'solid-js/store';

type Drafts = Record<string, string>;

function parseDrafts(stored: string | null): Drafts {
  try {
    const parsed: unknown = JSON.parse(stored ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
      ),
    );
  } catch {
    // Written by another version, or by hand: no drafts rather than no app.
    return {};
  }
}

/**
 * What was written in each conversation and not sent yet, kept across
 * reloads on this device: switching conversations or closing the tab loses
 * nothing. Reactive, so the conversation list can show "Draft: …".
 */
export function createDrafts(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string) {
  const [drafts, setDrafts] = createStore<Drafts>(parseDrafts(storage.getItem(key)));
  const save = () => {
    try {
      storage.setItem(key, JSON.stringify(drafts));
    } catch {
      // Storage full or refused (a private window): the draft still lives as long as the page.
    }
  };
  return {
    /** The draft of a conversation; empty when there is none. */
    of: (conversationId: string): string => drafts[conversationId] ?? '',
    /** Keeps `text` as the conversation's draft; an empty one is no draft. */
    keep(conversationId: string, text: string) {
      if ((drafts[conversationId] ?? '') === text) return;
      setDrafts(
        produce((all) => {
          if (text === '') delete all[conversationId];
          else all[conversationId] = text;
        }),
      );
      save();
    },
  };
}

export type DraftStore = ReturnType<typeof createDrafts>;
