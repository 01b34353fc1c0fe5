import type {
  AppErrorData,
  ConversationSummary,
  HistoryPage,
  Me,
  Member,
  Message,
  MessageContent,
} from '@gopherchat/api';
import type { ChatApi } from '../features/chat/chat-deps.ts';

/** A refusal from the fake server; `describeRefusal` reads it back as the app's typed error. */
export class Refusal extends Error {
  constructor(readonly data: AppErrorData) {
    super(data.userMessage);
  }
}

export const OFFLINE: AppErrorData = { appCode: 'UNAVAILABLE', userMessage: 'Cannot reach GopherChat right now.' };
export const NOT_FOUND: AppErrorData = { appCode: 'NOT_FOUND', userMessage: 'That conversation does not exist.' };

/** What `toAppError` is in the app: anything but a refusal counts as the server being out of reach. */
export const describeRefusal = (error: unknown): AppErrorData => (error instanceof Refusal ? error.data : OFFLINE);

type ApiCall = { [Name in keyof ChatApi]: { name: Name; input: Parameters<ChatApi[Name]>[0] } }[keyof ChatApi];

/**
 * A stand-in for the server's procedures. Every call is recorded; each is
 * answered by `answers[name]`, which a test replaces to shape the server (an
 * empty account by default, where nothing is found and every change works).
 */
export function fakeChatApi() {
  const calls: ApiCall[] = [];
  const answers: ChatApi = {
    listConversations: async () => [],
    getConversation: async () => {
      throw new Refusal(NOT_FOUND);
    },
    listMembers: async () => [],
    listHistory: async () => ({ messages: [], hasMore: false }),
    sendMessage: async (input) => ({
      ...message(input.conversationId, 1, ME.id, 'sent'),
      clientMessageId: input.clientMessageId,
      content: input.content as MessageContent,
    }),
    editMessage: async (input) => ({ ...message(input.conversationId, input.seq, ME.id, input.content.text) }),
    deleteMessage: async (input) => ({
      ...message(input.conversationId, input.seq, ME.id),
      content: { type: 'deleted' },
    }),
    react: async (input) => ({ ...input, revision: 1, reactions: [{ emoji: input.emoji, userIds: [ME.id] }] }),
    removeReaction: async (input) => ({
      conversationId: input.conversationId,
      seq: input.seq,
      revision: 1,
      reactions: [],
    }),
    pin: async (input) => messageWith({ ...input, revision: 1, pinnedAt: '2030-01-01T00:00:00.000Z', pinnedBy: ME.id }),
    unpin: async (input) => messageWith({ ...input, revision: 2 }),
    listPinned: async () => [],
    forwardMessage: async (input) =>
      messageWith({ conversationId: input.toConversationId, seq: 1, clientMessageId: input.clientMessageId }),
    removePreview: async (input) => messageWith({ ...input, revision: 2 }),
    saveMessage: async () => undefined,
    unsaveMessage: async () => undefined,
    listSaved: async () => ({ items: [], hasMore: false }),
    listSavedKeys: async () => [],
    markDelivered: async () => undefined,
    markRead: async () => undefined,
    signalTyping: async () => undefined,
    createDirect: async (input) => summary(`direct-${input.userId}`),
    createGroup: async (input) => ({ ...summary(`group-${input.title}`), title: input.title }),
    renameGroup: async (input) => ({ ...summary(input.conversationId), title: input.title }),
    setGroupPicture: async (input) => ({ ...summary(input.conversationId), avatarKey: `${input.attachmentId}.webp` }),
    removeGroupPicture: async (input) => summary(input.conversationId),
    addMembers: async (input) => summary(input.conversationId),
    removeMember: async () => undefined,
    leaveGroup: async () => undefined,
    setRole: async (input) => summary(input.conversationId),
    transferOwnership: async (input) => summary(input.conversationId),
    loadProfiles: async () => [],
  };
  const api = Object.fromEntries(
    (Object.keys(answers) as Array<keyof ChatApi>).map((name) => [
      name,
      (input: never) => {
        calls.push({ name, input } as ApiCall);
        return (answers[name] as (input: never) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as ChatApi;
  return {
    api,
    answers,
    /** What each call to `name` was asked, oldest first. */
    callsTo<Name extends keyof ChatApi>(name: Name): Array<Parameters<ChatApi[Name]>[0]> {
      return calls.flatMap((call) => (call.name === name ? [call.input as Parameters<ChatApi[Name]>[0]] : []));
    },
  };
}

/** Pages through `messages` (ascending by seq) the way the server's history does. */
export function historyOf(messages: readonly Message[]): ChatApi['listHistory'] {
  return async ({ before, after, limit = 50 }) => {
    if (after !== undefined) {
      const newer = messages.filter((message) => message.seq > after);
      return { messages: newer.slice(0, limit), hasMore: newer.length > limit } satisfies HistoryPage;
    }
    const older = messages.filter((message) => before === undefined || message.seq < before);
    const page = older.slice(-limit);
    return { messages: page, hasMore: older.length > page.length } satisfies HistoryPage;
  };
}

export const ME: Me = {
  id: 'me',
  username: 'me',
  email: 'me@example.test',
  displayName: 'Me',
  avatarKey: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  role: 'member',
};

export const summary = (id: string, changes: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  kind: 'group',
  title: `Group ${id}`,
  avatarKey: null,
  peer: null,
  memberCount: 2,
  myRole: 'member',
  lastSeq: 0,
  lastDeliveredSeq: 0,
  lastReadSeq: 0,
  unreadCount: 0,
  unreadMentionSeqs: [],
  lastMessage: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  ...changes,
});

/** A message as the server sends it, with what a test leaves out filled in: text by `bob`, one minute per seq. */
export function messageWith(changes: Partial<Message> & { seq: number }): Message {
  const conversationId = changes.conversationId ?? 'c1';
  return {
    id: `${conversationId}-${changes.seq}`,
    conversationId,
    senderId: 'bob',
    clientMessageId: null,
    content: { type: 'text', text: `message ${changes.seq}` },
    replyToSeq: null,
    createdAt: new Date(Date.UTC(2030, 0, 1, 0, changes.seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    reactions: [],
    revision: 0,
    pinnedAt: null,
    pinnedBy: null,
    ...changes,
  };
}

export const message = (
  conversationId: string,
  seq: number,
  senderId: string | null,
  text = `message ${seq}`,
): Message => messageWith({ conversationId, seq, senderId, content: { type: 'text', text } });

/** Messages `from`…`to` of a conversation, each by `senderId`. */
export const messages = (conversationId: string, from: number, to: number, senderId = 'bob'): Message[] =>
  Array.from({ length: to - from + 1 }, (_, index) => message(conversationId, from + index, senderId));

export const member = (userId: string, changes: Partial<Member> = {}): Member => ({
  userId,
  username: userId,
  displayName: `Name of ${userId}`,
  role: 'member',
  lastDeliveredSeq: 0,
  lastReadSeq: 0,
  ...changes,
});

/** localStorage, in memory. */
export class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}
