import type { MemberRole } from '@gopherchat/api';
import { AppError } from '../../errors.ts';
import type { ConversationRepo, ConversationRow } from './repo.ts';

/** The same words whether the conversation is missing or the caller is not in it: one must not tell which. */
export const NOT_A_MEMBER = 'That conversation does not exist, or you are not in it.';

export const canManage = (role: MemberRole | undefined) => role === 'owner' || role === 'admin';

/**
 * The caller's role in the conversation; NOT_FOUND if they are not in it.
 * `on` is the membership cache for a check before a read, a transaction's
 * repository for a check that a change must agree with.
 */
export async function requireRole(
  on: Pick<ConversationRepo, 'roleOf'>,
  conversationId: string,
  userId: string,
): Promise<MemberRole> {
  const role = await on.roleOf(conversationId, userId);
  if (!role) throw new AppError('NOT_FOUND', NOT_A_MEMBER);
  return role;
}

/**
 * For a change to a group, in its transaction: locks the conversation and
 * gives it with the caller's role. NOT_FOUND if they are not in it;
 * `whenDirect` if it is a direct conversation.
 */
export async function lockGroup(
  on: Pick<ConversationRepo, 'lockConversation' | 'roleOf'>,
  conversationId: string,
  userId: string,
  whenDirect: string,
): Promise<{ role: MemberRole; conversation: ConversationRow }> {
  const conversation = await on.lockConversation(conversationId);
  const role = await requireRole(on, conversationId, userId);
  if (conversation?.kind !== 'group') throw new AppError('INVALID_INPUT', whenDirect);
  return { role, conversation };
}
