import type { AppErrorData } from '@gopherchat/api';
import { createSignal } from 'solid-js';
import type { ChatApi } from '../chat/chat-deps.ts';

const keyOf = (conversationId: string, seq: number) => `${conversationId}/${seq}`;

/**
 * Which messages I saved, to mark them in their menus ("Remove from saved").
 * Read whole from the server each time the live subscription (re)starts, and
 * kept current between by my other devices' live signals; a change made here
 * shows at once, and is taken back, with the reason told, if the server
 * refuses it.
 */
export function createSavedKeys(deps: {
  api: Pick<ChatApi, 'saveMessage' | 'unsaveMessage' | 'listSavedKeys'>;
  describe(error: unknown): AppErrorData;
  tell(text: string): void;
}) {
  const [keys, setKeys] = createSignal<ReadonlySet<string>>(new Set());
  /** Changes asked of the server and not yet answered: a list read meanwhile may predate them. */
  const pending = new Map<string, boolean>();

  function mark(key: string, isSaved: boolean) {
    if (keys().has(key) === isSaved) return;
    const next = new Set(keys());
    if (isSaved) next.add(key);
    else next.delete(key);
    setKeys(next);
  }

  return {
    isSaved: (conversationId: string, seq: number) => keys().has(keyOf(conversationId, seq)),

    /** Reads the whole list again; on failure the marks stay as they were (the next start reads again). */
    async load() {
      try {
        const found = await deps.api.listSavedKeys();
        const next = new Set(found.map((key) => keyOf(key.conversationId, key.seq)));
        for (const [key, isSaved] of pending) {
          if (isSaved) next.add(key);
          else next.delete(key);
        }
        setKeys(next);
      } catch {
        // Only marks in menus; the saved list itself is read when it opens.
      }
    },

    /** Another of my devices saved a message, or took one off the list. */
    apply(event: { conversationId: string; seq: number; isSaved: boolean }) {
      mark(keyOf(event.conversationId, event.seq), event.isSaved);
    },

    /** Resolves whether the server took the change (a refusal is told, and the mark taken back). */
    async setSaved(conversationId: string, seq: number, isSaved: boolean): Promise<boolean> {
      const key = keyOf(conversationId, seq);
      const wasSaved = keys().has(key);
      mark(key, isSaved);
      pending.set(key, isSaved);
      try {
        await (isSaved ? deps.api.saveMessage : deps.api.unsaveMessage)({ conversationId, seq });
        return true;
      } catch (error) {
        if (pending.get(key) === isSaved) mark(key, wasSaved);
        deps.tell(deps.describe(error).userMessage);
        return false;
      } finally {
        if (pending.get(key) === isSaved) pending.delete(key);
      }
    },
  };
}

export type SavedKeys = ReturnType<typeof createSavedKeys>;
