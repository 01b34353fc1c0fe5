import { MESSAGE_TEXT_MAX_LENGTH } from '@gopherchat/api';

/** The counter shows over the last tenth before the limit: early enough to plan, late enough not to distract. */
const COUNTER_FROM = Math.floor(MESSAGE_TEXT_MAX_LENGTH * 0.9);

const numberFormat = new Intl.NumberFormat('en');

/**
 * How a draft stands against the message limit. Counted as the server
 * counts (UTF-16 units, after trimming), so what the composer lets through
 * the server accepts, and what it stops is never cut: a paste over the
 * limit stays whole in the field until it is shortened or sent as a file.
 */
export function messageLength(draft: string) {
  const length = draft.trim().length;
  const isOver = length > MESSAGE_TEXT_MAX_LENGTH;
  return {
    isOver,
    /** "3 650 / 4 000" once near the limit; undefined before. */
    counter:
      length >= COUNTER_FROM
        ? `${numberFormat.format(length)} / ${numberFormat.format(MESSAGE_TEXT_MAX_LENGTH)}`
        : undefined,
    /** Why it cannot be sent as it is, in words; undefined when it can. */
    problem: isOver
      ? `This message is ${numberFormat.format(length - MESSAGE_TEXT_MAX_LENGTH)} ${length - MESSAGE_TEXT_MAX_LENGTH === 1 ? 'character' : 'characters'} over the limit of ${numberFormat.format(MESSAGE_TEXT_MAX_LENGTH)}. Shorten it, or send it as a file.`
      : undefined,
  };
}
