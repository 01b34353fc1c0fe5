import type { UserStatus } from '@gopherchat/api';

/** When a status clears itself, as people choose it. */
export type ClearAfter = 'never' | '30m' | '1h' | '4h' | 'today' | 'week';

export const CLEAR_AFTER_LABELS: Record<ClearAfter, string> = {
  never: 'Don’t clear',
  '30m': '30 minutes',
  '1h': '1 hour',
  '4h': '4 hours',
  today: 'Today',
  week: 'This week',
};

const MINUTE_MS = 60_000;

/**
 * The moment a status chosen at `now` clears itself, in the reader's own
 * time zone: "today" is at midnight tonight, "this week" at midnight ending
 * Sunday. Null: it stays until cleared.
 */
export function expiryOf(clearAfter: ClearAfter, now: Date): string | null {
  const endOfDay = (daysAhead: number) =>
    new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysAhead + 1).toISOString();
  switch (clearAfter) {
    case 'never':
      return null;
    case '30m':
      return new Date(now.getTime() + 30 * MINUTE_MS).toISOString();
    case '1h':
      return new Date(now.getTime() + 60 * MINUTE_MS).toISOString();
    case '4h':
      return new Date(now.getTime() + 240 * MINUTE_MS).toISOString();
    case 'today':
      return endOfDay(0);
    case 'week':
      // getDay: 0 is Sunday, the week's last day here.
      return endOfDay((7 - now.getDay()) % 7);
    default:
      return clearAfter satisfies never;
  }
}

/** A few statuses people set most, one click each. */
export const SUGGESTED_STATUSES: ReadonlyArray<{ emoji: string; text: string; clearAfter: ClearAfter }> = [
  { emoji: '📅', text: 'In a meeting', clearAfter: '1h' },
  { emoji: '🚌', text: 'Commuting', clearAfter: '30m' },
  { emoji: '🤒', text: 'Out sick', clearAfter: 'today' },
  { emoji: '🌴', text: 'On holiday', clearAfter: 'never' },
  { emoji: '🏠', text: 'Working remotely', clearAfter: 'today' },
];

/** A status in one line: "📅 In a meeting". */
export const statusLine = (status: UserStatus) => (status.emoji ? `${status.emoji} ${status.text}` : status.text);
