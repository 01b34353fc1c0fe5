import type { ConversationKind, Member, MemberRole, Message } from '@gopherchat/api';

// What the server allows, mirrored so the client offers only what will work.
// The server still decides; these only hide what it would refuse.

/** Owners and admins run a group: its name, its members, and anyone's messages. */
export const canManage = (role: MemberRole) => role === 'owner' || role === 'admin';

/** What people wrote or shared can be answered: a tombstone or a system note has nothing to reply to. */
export const canReplyTo = (message: Message) =>
  message.content.type === 'text' || message.content.type === 'attachment';

/** What people wrote or shared takes reactions, as it takes replies. */
export const canReactTo = canReplyTo;

/** What people wrote or shared can be saved for later, and forwarded elsewhere. */
export const canSave = canReplyTo;
export const canForward = canReplyTo;

/** In a group its owner and admins pin; in a direct conversation both people do. */
export const canPin = (message: Message, kind: ConversationKind, myRole: MemberRole) =>
  canReplyTo(message) && (kind === 'direct' || canManage(myRole));

/** My own text messages, not yet deleted, and not forwarded (those are the original sender's words). */
export const canEdit = (message: Message, myId: string) =>
  message.senderId === myId && message.content.type === 'text' && !message.content.forwardedFrom;

/**
 * My own messages (a file with them), or anyone's for those who run the
 * conversation; never system notes or what is already gone.
 */
export const canDelete = (message: Message, myId: string, myRole: MemberRole) =>
  (message.content.type === 'text' || message.content.type === 'attachment') &&
  (message.senderId === myId || canManage(myRole));

/** Owners and admins make members admins. */
export const canMakeAdmin = (member: Member, myRole: MemberRole) => canManage(myRole) && member.role === 'member';

/** The owner takes the admin role away; an admin may give up their own. */
export const canRemoveAdmin = (member: Member, myId: string, myRole: MemberRole) =>
  member.role === 'admin' && (myRole === 'owner' || member.userId === myId);

/** The owner hands the group to anyone else in it. */
export const canMakeOwner = (member: Member, myId: string, myRole: MemberRole) =>
  myRole === 'owner' && member.userId !== myId;

/** Owners and admins remove others; nobody removes the owner, and an admin not another admin. Leaving is separate. */
export const canRemove = (member: Member, myId: string, myRole: MemberRole) =>
  member.userId !== myId &&
  canManage(myRole) &&
  member.role !== 'owner' &&
  !(myRole === 'admin' && member.role === 'admin');
