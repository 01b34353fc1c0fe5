import type { ConversationSummary, Member, Message, ReadPointers } from '@gopherchat/api';

/** Bumped whenever the shape changes: an older snapshot is ignored rather than misread. */
const SNAPSHOT_VERSION = 3;
/** Per conversation, the newest messages kept: a page, as opening it would load. */
export const SNAPSHOT_MESSAGES = 50;
/** How many conversations keep their messages, the most recently active first. */
export const SNAPSHOT_TIMELINES = 20;

/** What is kept of one conversation's loaded history. */
export interface CachedTimeline {
  messages: Message[];
  hasOlder: boolean;
  members: Record<string, Member>;
  names: Record<string, string>;
  pointers: Record<string, ReadPointers>;
}

/**
 * The chat as last seen, kept in the browser so that a page loaded offline
 * shows the conversations and their recent messages. Only ever shown until
 * the server answers: it is never merged into what the server says.
 */
export interface ChatSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** Most recently active first. */
  conversations: ConversationSummary[];
  timelines: Record<string, CachedTimeline>;
}

/** The snapshot of `conversations` (most recently active first) and the loaded part of their histories. */
export function takeSnapshot(
  conversations: readonly ConversationSummary[],
  timelines: Readonly<Record<string, CachedTimeline & { hasNewer?: boolean }>>,
): ChatSnapshot {
  const kept: Record<string, CachedTimeline> = {};
  for (const { id } of conversations) {
    const timeline = timelines[id];
    // A window further back is not what the conversation would open with: offline, it would pass for the newest.
    if (!timeline || timeline.hasNewer) continue;
    const { messages, hasOlder, members, names, pointers } = timeline;
    const newest = messages.slice(-SNAPSHOT_MESSAGES);
    kept[id] = { messages: newest, hasOlder: hasOlder || newest.length < messages.length, members, names, pointers };
    if (Object.keys(kept).length === SNAPSHOT_TIMELINES) break;
  }
  return { version: SNAPSHOT_VERSION, conversations: [...conversations], timelines: kept };
}

type SnapshotStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function readSnapshot(storage: SnapshotStorage, key: string): ChatSnapshot | undefined {
  try {
    const stored = JSON.parse(storage.getItem(key) ?? 'null') as Partial<ChatSnapshot> | null;
    if (stored?.version !== SNAPSHOT_VERSION || !Array.isArray(stored.conversations) || !stored.timelines) {
      return undefined;
    }
    return stored as ChatSnapshot;
  } catch {
    return undefined;
  }
}

/** Keeps the snapshot; a full storage only costs the offline view, so it is not an error. */
export function writeSnapshot(storage: SnapshotStorage, key: string, snapshot: ChatSnapshot) {
  try {
    storage.setItem(key, JSON.stringify(snapshot));
  } catch {
    // QuotaExceededError: the previous snapshot stays.
  }
}
