import type { AppErrorData, ConversationSummary } from '@gopherchat/api';
import { attempt } from '../../lib/attempt.ts';
import type { ChatApi } from './chat-deps.ts';
import type { ConversationsStore } from './conversations-store.ts';
import type { HistoryStore } from './history-store.ts';

/**
 * Starting conversations and running groups. Each action resolves to a
 * user-readable error, or undefined once done. The member list follows these
 * changes through their events (`conversation_updated`, the notes).
 */
export function createGroupAdmin(deps: {
  api: Pick<
    ChatApi,
    | 'createDirect'
    | 'createGroup'
    | 'renameGroup'
    | 'setGroupPicture'
    | 'removeGroupPicture'
    | 'addMembers'
    | 'removeMember'
    | 'leaveGroup'
    | 'setRole'
    | 'transferOwnership'
  >;
  conversations: Pick<ConversationsStore, 'upsertSummary' | 'forget'>;
  history: Pick<HistoryStore, 'open'>;
  describe(error: unknown): AppErrorData;
}) {
  const { api, conversations } = deps;
  const tryTo = (work: () => Promise<unknown>) => attempt(work, deps.describe);
  /** Conversations I am leaving: the server's goodbye to them is no news to me. */
  const leaving = new Set<string>();

  /** Adds a conversation just made here, and opens it. */
  async function openNew(summary: ConversationSummary) {
    conversations.upsertSummary(summary);
    await deps.history.open(summary.id);
  }

  return {
    isLeaving: (conversationId: string) => leaving.has(conversationId),
    startDirect: (userId: string) => tryTo(async () => openNew(await api.createDirect({ userId }))),
    startGroup: (title: string, memberIds: string[]) =>
      tryTo(async () => openNew(await api.createGroup({ title, memberIds }))),
    renameGroup: (conversationId: string, title: string) =>
      tryTo(async () => conversations.upsertSummary(await api.renameGroup({ conversationId, title }))),
    setGroupPicture: (conversationId: string, attachmentId: string) =>
      tryTo(async () => conversations.upsertSummary(await api.setGroupPicture({ conversationId, attachmentId }))),
    removeGroupPicture: (conversationId: string) =>
      tryTo(async () => conversations.upsertSummary(await api.removeGroupPicture({ conversationId }))),
    addMembers: (conversationId: string, userIds: string[]) =>
      tryTo(async () => conversations.upsertSummary(await api.addMembers({ conversationId, userIds }))),
    removeMember: (conversationId: string, userId: string) => tryTo(() => api.removeMember({ conversationId, userId })),
    setRole: (conversationId: string, userId: string, role: 'admin' | 'member') =>
      tryTo(async () => conversations.upsertSummary(await api.setRole({ conversationId, userId, role }))),
    transferOwnership: (conversationId: string, userId: string) =>
      tryTo(async () => conversations.upsertSummary(await api.transferOwnership({ conversationId, userId }))),
    leaveGroup: (conversationId: string) =>
      tryTo(async () => {
        leaving.add(conversationId);
        try {
          await api.leaveGroup({ conversationId });
          conversations.forget(conversationId);
        } finally {
          leaving.delete(conversationId);
        }
      }),
  };
}

export type GroupAdmin = ReturnType<typeof createGroupAdmin>;
