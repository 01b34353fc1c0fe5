import type { ConversationSummary, HistoryPage } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import { NOT_A_MEMBER, requireRole } from './access.ts';
import { toMessage } from './message-view.ts';
import type { ConversationRepo, SummaryRow } from './repo.ts';

/** What a member reads of their conversations: the list, one summary, the members, the history. */
export function createConversationReads(deps: {
  repo: ConversationRepo;
  /** Who is in which conversation (the membership cache). */
  membership: Pick<ConversationRepo, 'roleOf'>;
}) {
  const { repo, membership } = deps;

  async function summarise(userId: string, rows: SummaryRow[]): Promise<ConversationSummary[]> {
    const directIds = rows.filter((row) => row.conversation.kind === 'direct').map((row) => row.conversation.id);
    const peers = new Map((await repo.peersOf(directIds, userId)).map((row) => [row.conversationId, row.peer]));
    return rows.map((row) => {
      const peer = peers.get(row.conversation.id) ?? null;
      return {
        id: row.conversation.id,
        kind: row.conversation.kind,
        title: row.conversation.title ?? peer?.displayName ?? 'Conversation',
        avatarKey: row.conversation.avatarKey,
        peer,
        memberCount: row.memberCount,
        myRole: row.myRole,
        lastSeq: row.conversation.lastSeq,
        lastDeliveredSeq: row.lastDeliveredSeq,
        lastReadSeq: row.lastReadSeq,
        unreadCount: Math.max(0, row.conversation.lastSeq - row.lastReadSeq),
        unreadMentionSeqs: row.unreadMentionSeqs,
        lastMessage: row.lastMessage ? toMessage(row.lastMessage) : null,
        createdAt: row.conversation.createdAt.toISOString(),
      };
    });
  }

  return {
    async list(userId: string): Promise<ConversationSummary[]> {
      return summarise(userId, await repo.listSummaries(userId));
    },

    async get(userId: string, conversationId: string): Promise<ConversationSummary> {
      const [summary] = await summarise(userId, await repo.listSummaries(userId, conversationId));
      if (!summary) throw new AppError('NOT_FOUND', NOT_A_MEMBER);
      return summary;
    },

    async members(userId: string, conversationId: string) {
      await requireRole(membership, conversationId, userId);
      return repo.listMembers(conversationId);
    },

    async history(
      userId: string,
      input: { conversationId: string; before?: number; after?: number; limit: number },
    ): Promise<HistoryPage> {
      await requireRole(membership, input.conversationId, userId);
      const page = await repo.history(input.conversationId, input);
      return { messages: page.rows.map(toMessage), hasMore: page.hasMore };
    },
  };
}
