// What conversations send over the wire: types, free of zod so the web app's
// main bundle can import them without the validator.

import type { MessageMentions } from './mentions.ts';
import type { UserProfile } from './users-wire.ts';

/**
 * A message's typed content envelope. Clients send `text` and `attachment`;
 * the server writes `system` entries (membership, renames); a deleted
 * message becomes `deleted`. End-to-end ciphertext joins this union later,
 * with no change to storage.
 */
export type MessageContent =
  | { type: 'text'; text: string; forwardedFrom?: ForwardedFrom }
  | { type: 'attachment'; attachment: AttachmentFacts; caption: string | null; forwardedFrom?: ForwardedFrom }
  | { type: 'system'; event: SystemEvent }
  | { type: 'deleted' };

/**
 * Where a forwarded message came from: its sender's name when it was
 * forwarded (null: their account is gone). Only the name travels: the
 * conversation it came from stays private to its members.
 */
export interface ForwardedFrom {
  senderName: string | null;
}

/**
 * How a shared file is shown: an image inline (with a thumbnail), audio and
 * video in a player, anything else as a card to download. Messages keep the
 * kind they were sent with: audio and video shared before they could be
 * played say `file`, and stay cards.
 */
export type AttachmentKind = 'image' | 'audio' | 'video' | 'file';

/** What is known of a shared file once its upload was checked; it never changes. */
export interface AttachmentFacts {
  id: string;
  fileName: string;
  contentType: string;
  byteSize: number;
  kind: AttachmentKind;
  width: number | null;
  height: number | null;
}

/** Where a shared file is in its processing, and what of it can be shown yet. */
export interface AttachmentStatus {
  id: string;
  state: 'uploading' | 'processing' | 'ready' | 'failed';
  /** A ThumbHash (base64) to draw a blurred preview from, once processed. */
  placeholder: string | null;
  hasThumbnail: boolean;
}

/** Short-lived addresses to fetch a shared file from (the object store, not this server). */
export interface AttachmentLinks extends AttachmentStatus {
  /** Null while an image is still being processed: until then the only copy still has its EXIF (camera, location). */
  url: string | null;
  /**
   * For images, audio and video, whose `url` shows or plays in the page:
   * the same file with a header that makes the browser save it (an image's
   * once processed). Null for other files, whose `url` already downloads.
   */
  downloadUrl: string | null;
  thumbnailUrl: string | null;
  /** When the addresses stop working: ask again after. */
  expiresAt: string;
}

export type SystemEvent =
  | { kind: 'created'; by: string }
  | { kind: 'member_added'; by: string; userId: string }
  | { kind: 'member_removed'; by: string; userId: string }
  | { kind: 'member_left'; userId: string }
  | { kind: 'renamed'; by: string; title: string }
  /** A new group picture, or (`isRemoved`) none. */
  | { kind: 'picture_changed'; by: string; isRemoved: boolean }
  /** Made an admin, or no longer one (`by` is `userId` when an admin stepped down). */
  | { kind: 'role_changed'; by: string; userId: string; role: 'admin' | 'member' }
  /** The owner handed the group to `userId`, and became an admin. */
  | { kind: 'owner_changed'; by: string; userId: string }
  /** `by` pinned the message at `seq` (unpinning leaves no note). */
  | { kind: 'pinned'; by: string; seq: number };

export interface Message {
  id: string;
  conversationId: string;
  /** Position in the conversation: 1, 2, 3, … with no gaps. */
  seq: number;
  /** Null for system entries. */
  senderId: string | null;
  clientMessageId: string | null;
  content: MessageContent;
  replyToSeq: number | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** In the order each emoji was first used. */
  reactions: Reaction[];
  /**
   * How many times the message changed since it was sent (edits, deletion,
   * reactions): of two copies of a message, the higher revision is the
   * newer, whichever arrived last.
   */
  revision: number;
  /** When it was pinned, and by whom; null when it is not pinned. */
  pinnedAt: string | null;
  pinnedBy: string | null;
  /**
   * The card for the first link in a text message, once the server has read
   * the page (it arrives as an update); absent when there is none, or the
   * sender removed it.
   */
  linkPreview?: LinkPreview;
  /** Who its text (or caption) mentions, by `@username`, `@all` or `@here`; absent when no one. */
  mentions?: MessageMentions;
}

/** What a page says of itself (OpenGraph, Twitter card, its title), as the server read it. */
export interface LinkPreview {
  /** Where the page was found, after redirects. */
  url: string;
  title: string;
  description: string | null;
  siteName: string | null;
}

/** One emoji on a message and who reacted with it, earliest first. */
export interface Reaction {
  /** One RGI emoji, spelled as `normalizeEmoji` spells it. */
  emoji: string;
  userIds: string[];
}

/** A message's reactions as they stand after a change, with the message's revision then. */
export interface MessageReactions {
  conversationId: string;
  seq: number;
  revision: number;
  reactions: Reaction[];
}

export type ConversationKind = 'direct' | 'group';
export type MemberRole = 'owner' | 'admin' | 'member';

/** How far a member has got in a conversation: both only ever move forward. */
export interface ReadPointers {
  /** The newest message their client has received. */
  lastDeliveredSeq: number;
  /** The newest message they have seen on screen. */
  lastReadSeq: number;
}

export interface Member extends ReadPointers {
  userId: string;
  username: string;
  displayName: string;
  role: MemberRole;
}

export interface MemberReceipt extends ReadPointers {
  userId: string;
}

/** A conversation as one member sees it in their list. */
export interface ConversationSummary {
  id: string;
  kind: ConversationKind;
  /** Groups: their name. Direct conversations: the other person's display name. */
  title: string;
  /** Groups: their picture, served at `/avatars/<avatarKey>` (see `avatarPath`); null: none (direct: the peer's own). */
  avatarKey: string | null;
  /** Direct conversations: the other person. */
  peer: Member | null;
  memberCount: number;
  myRole: MemberRole;
  lastSeq: number;
  /** My own pointers. */
  lastDeliveredSeq: number;
  lastReadSeq: number;
  unreadCount: number;
  /**
   * My unread messages here that mention me, by name or with `@all`, oldest
   * first (the first 99). `@here` is for whoever is here as it is sent: it
   * leaves no mention for later.
   */
  unreadMentionSeqs: number[];
  lastMessage: Message | null;
  createdAt: string;
}

/** A message I saved for later, in my private list. */
export interface SavedMessage {
  savedAt: string;
  message: Message;
}

/** Newest saved first; `hasMore`: older ones follow (ask with `before` set to the last item's). */
export interface SavedPage {
  items: SavedMessage[];
  hasMore: boolean;
}

export interface HistoryPage {
  messages: Message[];
  /** Whether more messages lie beyond this page in the direction asked. */
  hasMore: boolean;
}

/**
 * Everything live a person receives, on one subscription: each is delivered
 * once, in order, with a resumable id. `resync` means the gap since the
 * client's last id was too large to replay: reload conversations and history.
 */
export type UserEvent =
  | { kind: 'message'; message: Message }
  | { kind: 'message_updated'; message: Message }
  /** Someone reacted to a message, or took a reaction back: its reactions as they now stand. */
  | { kind: 'reactions'; update: MessageReactions }
  | { kind: 'conversation_updated'; conversationId: string }
  | { kind: 'removed_from_conversation'; conversationId: string }
  /** Members' pointers moved (mine too: another of my devices read something). */
  | { kind: 'receipts'; conversationId: string; receipts: MemberReceipt[] }
  /**
   * Live only, never replayed: who of the people I share a conversation with
   * is online (all of them when my subscription starts, then each change).
   */
  | {
      kind: 'presence';
      users: UserPresence[];
      /**
       * Only on the events that change it (absent: as before). true: this
       * server has lost contact with the other instances (a Redis outage),
       * so the presence shown for anyone may be out of date, and changes
       * will not be reported until it clears; false: contact is back, and
       * `users` is everyone I share a conversation with, as they are now.
       */
      isStale?: boolean;
    }
  /** Live only: someone is typing (or stopped). Shown for TYPING_SHOWN_MS unless renewed. */
  | { kind: 'typing'; conversationId: string; userId: string; isTyping: boolean }
  /** Live only: someone you share a conversation with changed their profile. */
  | { kind: 'profile'; profile: UserProfile }
  /** Live only: a file I uploaded, or one shared in my conversations, was processed (or failed). */
  | { kind: 'attachment_updated'; attachment: AttachmentStatus }
  /** Live only: I saved a message, or took it off my list, on one of my devices. */
  | { kind: 'saved'; conversationId: string; seq: number; isSaved: boolean }
  | { kind: 'resync' };

export interface UserPresence {
  userId: string;
  isOnline: boolean;
  /** Present (true) while online but away: every device of theirs left idle. */
  isAway?: boolean;
  /** When they were last connected (now, if online); null if never. */
  lastSeenAt: string | null;
}

/** Where and how to upload a file: POST `fields`, then the file, as multipart form data to `url`. */
export interface UploadGrantReply {
  attachmentId: string;
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}
