import type { AppErrorData, HistoryPage, Member, Message, MessageReactions } from '@gopherchat/api';
import { batch } from 'solid-js';
import { produce, unwrap } from 'solid-js/store';
import { type PeopleDirectory, userIdsNamedIn } from '../people/directory.ts';
import type { ChatApi } from './chat-deps.ts';
import { type ChatStateStore, emptyTimeline, type Timeline } from './chat-state.ts';
import type { ReceiptsStore } from './receipts-store.ts';
import { mergeMessages, messageIndexOf, withReactions } from './timeline.ts';

/** Messages per page of history. */
export const HISTORY_PAGE = 50;
/**
 * Pages a conversation opens with at most, so that it can open at the first
 * unread message: further back than that, it opens at the oldest of them,
 * and the rest is a scroll up away.
 */
export const OPENING_PAGES_MAX = 4;

/** A window's messages as loaded, ascending, and where they stand. */
interface WindowPage {
  messages: Message[];
  /** Older messages exist before the first (for a load that can tell). */
  hasOlder?: boolean;
  /** Nothing was newer on the server when it was read. */
  reachesNewest: boolean;
}

const byUserId = (members: Member[]) => Object.fromEntries(members.map((member) => [member.userId, member]));

/**
 * The loaded part of each open conversation's history: its newest page
 * (once; a snapshot's copy until the server's arrives), older pages as they
 * are scrolled to, and its members. Pages and live messages overlap freely:
 * merges are by `seq`.
 */
export function createHistoryStore(deps: {
  store: ChatStateStore;
  api: Pick<ChatApi, 'listHistory' | 'listMembers'>;
  people: Pick<PeopleDirectory, 'want'>;
  receipts: Pick<ReceiptsStore, 'advancePointers'>;
  describe(error: unknown): AppErrorData;
  tell(text: string): void;
}) {
  const { state, setState } = deps.store;
  /** Conversations whose newest page is being fetched. */
  const loadingNewest = new Set<string>();
  /**
   * Per conversation, the window load under way (around a message, newer, or
   * back to the newest), and the live messages that came meanwhile: the
   * load's pages may have been read before them.
   */
  const windowLoads = new Map<string, { arrived: Message[] }>();

  /**
   * Looks up the people named in messages coming into a loaded timeline whom
   * its member list does not cover: they left, or were removed. Asked as
   * messages come in, not by watching the timeline, which would go over every
   * loaded message again with each one that arrives.
   */
  function wantPeopleNamedIn(conversationId: string, messages: readonly Message[]) {
    const names = state.timelines[conversationId]?.names;
    if (!names) return;
    deps.people.want([...userIdsNamedIn(messages)].filter((userId) => names[userId] === undefined));
  }

  /** Takes a fresh member list, merging its pointers with any receipts that arrived while it was asked for. */
  function adoptMembers(conversationId: string, members: Member[]) {
    batch(() => {
      // Set one level up: setting `members` itself would merge, keeping people who have left.
      setState('timelines', conversationId, { members: byUserId(members) });
      setState(
        'timelines',
        conversationId,
        'names',
        Object.fromEntries(members.map((member) => [member.userId, member.displayName])),
      );
      for (const member of members) deps.receipts.advancePointers(conversationId, member);
    });
  }

  /** The newest page, and older ones until the page holds the message after `readUpTo` (within `OPENING_PAGES_MAX`). */
  async function newestPagesBackTo(conversationId: string, readUpTo: number): Promise<HistoryPage> {
    let page = await deps.api.listHistory({ conversationId, limit: HISTORY_PAGE });
    for (let pages = 1; pages < OPENING_PAGES_MAX && page.hasMore; pages++) {
      const oldest = page.messages[0];
      if (!oldest || oldest.seq <= readUpTo + 1) break;
      const older = await deps.api.listHistory({ conversationId, before: oldest.seq, limit: HISTORY_PAGE });
      page = { messages: [...older.messages, ...page.messages], hasMore: older.hasMore };
    }
    return page;
  }

  async function loadNewest(conversationId: string) {
    if (loadingNewest.has(conversationId)) return;
    loadingNewest.add(conversationId);
    // The snapshot's messages, told apart from live ones that arrive while the page is asked for.
    const cached = new Set(
      state.timelines[conversationId]?.isCached ? unwrap(state.timelines[conversationId].messages) : [],
    );
    try {
      // Unknown to the list (not loaded yet): nothing is known to be unread.
      const readUpTo = state.conversations[conversationId]?.lastReadSeq ?? Number.POSITIVE_INFINITY;
      const [page, members] = await Promise.all([
        newestPagesBackTo(conversationId, readUpTo),
        deps.api.listMembers({ conversationId }),
      ]);
      if (!state.timelines[conversationId]) return;
      batch(() => {
        adoptMembers(conversationId, members);
        setState('timelines', conversationId, (timeline) => ({
          isLoadingOlder: false,
          hasOlder: page.hasMore,
          // The snapshot's copies may be stale (edited, deleted, a gap since): the server's page replaces them.
          messages: mergeMessages(
            page.messages,
            unwrap(timeline.messages).filter((message) => !cached.has(message)),
          ),
          isCached: false,
        }));
        wantPeopleNamedIn(conversationId, page.messages);
      });
    } catch (error) {
      // Offline, the snapshot's copy is better than nothing, and no news.
      if (state.timelines[conversationId]?.isCached) return;
      // Nothing to show (not mine to see, or out of reach): back to the list, which the address follows.
      setState(
        produce((draft) => {
          delete draft.timelines[conversationId];
          if (draft.activeId === conversationId) draft.activeId = undefined;
        }),
      );
      deps.tell(deps.describe(error).userMessage);
    } finally {
      loadingNewest.delete(conversationId);
    }
  }

  /** Whether `messages` end short of the conversation's newest message, as far as it is known here. */
  const endsShortOfNewest = (conversationId: string, messages: readonly Message[]) =>
    (messages.at(-1)?.seq ?? 0) < (state.conversations[conversationId]?.lastSeq ?? 0);

  /**
   * Puts a window of messages in place of the loaded ones, or beside them,
   * once `load` has read it. Live messages are held back from a window short
   * of the newest (a gap would open between them), so those that came while
   * it was read are merged now: changes to what it holds, and, when it reaches
   * the newest, everything after it (live messages come in order, none
   * missed). A load started later wins over this one.
   */
  async function loadWindow(
    conversationId: string,
    load: () => Promise<WindowPage>,
    place: (page: WindowPage, current: Timeline) => Pick<Timeline, 'messages'> & Partial<Timeline>,
  ) {
    // Only an open conversation's timeline takes a window.
    if (!state.timelines[conversationId]) return;
    const mine = { arrived: [] as Message[] };
    windowLoads.set(conversationId, mine);
    setState('timelines', conversationId, 'isLoadingNewer', true);
    try {
      const page = await load();
      if (windowLoads.get(conversationId) !== mine || !state.timelines[conversationId]) return;
      setState('timelines', conversationId, (current) => {
        const placed = place(page, current);
        const last = placed.messages.at(-1)?.seq ?? 0;
        const messages = mergeMessages(
          placed.messages,
          mine.arrived.filter((message) => page.reachesNewest || message.seq <= last),
        );
        return { ...placed, messages, hasNewer: !page.reachesNewest || endsShortOfNewest(conversationId, messages) };
      });
      wantPeopleNamedIn(conversationId, page.messages);
    } catch (error) {
      deps.tell(deps.describe(error).userMessage);
    } finally {
      if (windowLoads.get(conversationId) === mine) {
        windowLoads.delete(conversationId);
        if (state.timelines[conversationId]) setState('timelines', conversationId, 'isLoadingNewer', false);
      }
    }
  }

  return {
    wantPeopleNamedIn,
    loadNewest,

    /**
     * Loads the messages around `seq` in place of those loaded, e.g. for a
     * link to a message far back: a page either side, scrolled on from there
     * both ways.
     */
    openAround: (conversationId: string, seq: number) =>
      loadWindow(
        conversationId,
        async () => {
          const [older, newer] = await Promise.all([
            deps.api.listHistory({ conversationId, before: seq + 1, limit: HISTORY_PAGE }),
            deps.api.listHistory({ conversationId, after: seq, limit: HISTORY_PAGE }),
          ]);
          return {
            messages: [...older.messages, ...newer.messages],
            hasOlder: older.hasMore,
            reachesNewest: !newer.hasMore,
          };
        },
        ({ messages, hasOlder }) => ({ messages, hasOlder: hasOlder ?? false, isCached: false }),
      ),

    /** The page after the last loaded message, in a window short of the newest. */
    async loadNewer(conversationId: string) {
      const timeline = state.timelines[conversationId];
      const last = timeline?.messages.at(-1);
      if (!timeline?.hasNewer || !last || windowLoads.has(conversationId)) return;
      await loadWindow(
        conversationId,
        async () => {
          const page = await deps.api.listHistory({ conversationId, after: last.seq, limit: HISTORY_PAGE });
          return { messages: page.messages, reachesNewest: !page.hasMore };
        },
        ({ messages }, current) => ({ messages: mergeMessages(current.messages, messages) }),
      );
    },

    /** Back to the newest page from a window further back (to send, or to "Jump to latest"). */
    async showNewest(conversationId: string) {
      if (!state.timelines[conversationId]?.hasNewer) return;
      await loadWindow(
        conversationId,
        async () => {
          const page = await deps.api.listHistory({ conversationId, limit: HISTORY_PAGE });
          return { messages: page.messages, hasOlder: page.hasMore, reachesNewest: true };
        },
        ({ messages, hasOlder }) => ({ messages, hasOlder: hasOlder ?? false }),
      );
    },

    /**
     * Shows a conversation: its newest page of history (once; a snapshot's copy
     * until the server's arrives). It is marked read as its messages come on screen.
     */
    async open(conversationId: string) {
      setState('activeId', conversationId);
      const shown = state.timelines[conversationId];
      if (shown && !shown.isCached) return;
      // The last visit's copy is on screen until the server's page replaces it.
      if (shown) wantPeopleNamedIn(conversationId, shown.messages);
      // In place before the page is asked for, so live messages racing it are kept.
      else setState('timelines', conversationId, emptyTimeline());
      await loadNewest(conversationId);
    },

    /** Back to the list (on a phone, where only one of the two shows). */
    close: () => setState('activeId', undefined),

    async loadOlder(conversationId: string) {
      const timeline = state.timelines[conversationId];
      const oldest = timeline?.messages[0];
      if (!timeline || !oldest || !timeline.hasOlder || timeline.isLoadingOlder) return;
      setState('timelines', conversationId, 'isLoadingOlder', true);
      try {
        const page = await deps.api.listHistory({ conversationId, before: oldest.seq, limit: HISTORY_PAGE });
        setState('timelines', conversationId, (current) => ({
          ...current,
          hasOlder: page.hasMore,
          messages: mergeMessages(current.messages, page.messages),
        }));
        wantPeopleNamedIn(conversationId, page.messages);
      } catch (error) {
        deps.tell(deps.describe(error).userMessage);
      } finally {
        setState('timelines', conversationId, 'isLoadingOlder', false);
      }
    },

    /** The member list again (someone left, or was added): who is there, their names and pointers. */
    async loadMembers(conversationId: string) {
      adoptMembers(conversationId, await deps.api.listMembers({ conversationId }));
    },

    /** Puts a message (new, edited or deleted) in its timeline, if that is loaded. */
    showInTimeline(message: Message) {
      const { conversationId } = message;
      const timeline = state.timelines[conversationId];
      if (!timeline) return;
      windowLoads.get(conversationId)?.arrived.push(message);
      // Past a window short of the newest, it would leave a gap: it is loaded when the window gets there.
      if (timeline.hasNewer && message.seq > (timeline.messages.at(-1)?.seq ?? 0)) return;
      setState('timelines', conversationId, 'messages', (messages) => mergeMessages(messages, [message]));
      wantPeopleNamedIn(conversationId, [message]);
    },

    /** New reactions on a loaded message (a message not loaded comes with its reactions when it is). */
    applyReactions(update: MessageReactions) {
      const messages = state.timelines[update.conversationId]?.messages;
      const index = messages ? messageIndexOf(messages, update.seq) : -1;
      const message = messages?.[index];
      if (!message) return;
      const updated = withReactions(unwrap(message), update);
      setState('timelines', update.conversationId, 'messages', index, updated);
      wantPeopleNamedIn(update.conversationId, [updated]);
    },
  };
}

export type HistoryStore = ReturnType<typeof createHistoryStore>;
