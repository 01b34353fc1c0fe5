import type { AttachmentFacts } from '@gopherchat/api';
import type { Database, Statement } from '../../platform/database/index.ts';

/** What messages need of the attachments module (a port: it owns the attachments table). */
export interface AttachmentsForMessages {
  /** The facts of an upload the sender may attach; a clear AppError otherwise. */
  factsForSend(senderId: string, attachmentId: string): Promise<AttachmentFacts>;
  /** A copy of a file shared where `userId` can see it, theirs to send elsewhere; a clear AppError otherwise. */
  copyForForward(userId: string, attachmentId: string): Promise<AttachmentFacts>;
  /**
   * The statement that, in the send's transaction, ties each attachment to
   * the conversation it is sent to. It reads the ids it claimed; the others
   * were shared elsewhere, deleted or failed meanwhile.
   */
  claim(claims: AttachmentClaim[]): Statement<Set<string>>;
  /** In the transaction deleting its message: forgets the attachment; returns its objects, to delete after commit. */
  release(tx: Database, attachmentId: string): Promise<string[]>;
  /** Never throws: a leftover object is only wasted space. */
  deleteObjects(keys: string[]): Promise<void>;
}

/** An attachment to tie, in a send's transaction, to the conversation it is sent to. */
export interface AttachmentClaim {
  attachmentId: string;
  ownerId: string;
  conversationId: string;
}
