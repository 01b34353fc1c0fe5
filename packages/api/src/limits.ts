// Kept free of zod so the web bundle can import limits without the validator.

import type { AttachmentKind } from './conversations-wire.ts';

/** Longest announcement text, in characters (after trimming). */
export const ANNOUNCEMENT_MAX_LENGTH = 500;

/** Passwords: at least this many characters (NIST SP 800-63B), no composition rules. */
export const PASSWORD_MIN_LENGTH = 8;
/** Long passphrases are welcome; the cap only bounds hashing work. */
export const PASSWORD_MAX_LENGTH = 256;
/** zxcvbn score (0–4) a new password needs. */
export const PASSWORD_MIN_SCORE = 3;

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const DISPLAY_NAME_MAX_LENGTH = 64;
/** Longest status text ("In a meeting until 3"). */
export const STATUS_TEXT_MAX_LENGTH = 100;
/** How far ahead a status may be set to clear itself. */
export const STATUS_MAX_DAYS = 31;

/** Longest message text, in characters (after trimming). */
export const MESSAGE_TEXT_MAX_LENGTH = 4000;
export const CLIENT_MESSAGE_ID_MAX_LENGTH = 64;
export const CONVERSATION_TITLE_MAX_LENGTH = 80;
/** Members of one group, the creator included. */
export const GROUP_MAX_MEMBERS = 1000;
/** Messages in one history page. */
export const HISTORY_PAGE_MAX = 100;
/**
 * A client acknowledges what it received at most this often (one call for
 * every conversation): in a busy group, receipts would otherwise cost more
 * than the messages.
 */
export const DELIVERY_RECEIPT_INTERVAL_MS = 1_000;
/** Conversations one delivery receipt may cover. */
export const RECEIPT_BATCH_MAX = 200;
/** A client typing renews its typing signal this often… */
export const TYPING_RENEW_MS = 3_000;
/** …and others show it for this long after the last one. */
export const TYPING_SHOWN_MS = 6_000;

/** Largest file one upload may carry. */
export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;
export const ATTACHMENT_FILE_NAME_MAX_LENGTH = 200;
/** Longest caption under an attachment, in characters. */
export const ATTACHMENT_CAPTION_MAX_LENGTH = 1000;
/**
 * The file types people may share, each checked against the file's first
 * bytes when the upload is confirmed. Images get a thumbnail and are shown
 * inline; audio and video play in place (streamed from the store); the rest
 * are offered for download.
 */
export const ATTACHMENT_TYPES = {
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'application/pdf': 'file',
  'application/zip': 'file',
  'text/plain': 'file',
  'audio/mpeg': 'audio',
  'audio/ogg': 'audio',
  'video/mp4': 'video',
} as const satisfies Record<string, AttachmentKind>;
export type AttachmentContentType = keyof typeof ATTACHMENT_TYPES;
/** The types above as people name them, for messages that say what may be shared. */
export const ATTACHMENT_TYPES_IN_WORDS = 'images, PDF, ZIP, text, MP3, Ogg and MP4';
/** ATTACHMENT_MAX_BYTES as people read it ("25 MB"; binary megabytes). */
export const ATTACHMENT_MAX_SIZE_IN_WORDS = `${ATTACHMENT_MAX_BYTES / (1024 * 1024)} MB`;
/**
 * Characters a shared file's name may not have: path separators and control
 * characters have no place in a name shown to others. The server refuses
 * such names; the web client replaces them before it asks.
 */
export function isForbiddenFileNameChar(char: string): boolean {
  return char === '/' || char === '\\' || char.charCodeAt(0) < 0x20 || char === '\u007f';
}
/** Files whose download links one call may ask for. */
export const ATTACHMENT_LINKS_MAX = 100;

/** Profiles asked for in one call, e.g. the authors of a page of history. */
export const USER_PROFILES_MAX = 100;
/** People suggested per keystroke of a search. */
export const USER_SEARCH_LIMIT = 10;

/** Calls one HTTP request or one WebSocket frame may batch; the server refuses a larger batch whole. */
export const CALLS_PER_BATCH_MAX = 50;

/** Live subscriptions one socket may hold at once; the web app uses three. */
export const SUBSCRIPTIONS_PER_SOCKET_MAX = 32;

/** Different emoji on one message (Discord allows 20, Slack 23): past that, people react with one already there. */
export const REACTIONS_PER_MESSAGE_MAX = 20;
/** Pinned messages one conversation keeps: a short list of what matters, not a second history. */
export const PINS_PER_CONVERSATION_MAX = 50;
/** Messages one person may keep in their saved list. */
export const SAVED_MESSAGES_MAX = 500;
/** Saved messages in one page of the list. */
export const SAVED_PAGE_MAX = 50;
/** Longest emoji accepted, in UTF-16 units: the longest RGI sequences (couples with skin tones) have 15. */
export const EMOJI_MAX_LENGTH = 32;

/** Unread messages that mention me listed per conversation: more shows as 99+. */
export const UNREAD_MENTIONS_LISTED = 99;
