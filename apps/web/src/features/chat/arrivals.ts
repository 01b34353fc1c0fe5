import type { Message } from '@gopherchat/api';
import { plainTextOf, wordsOf } from './markdown.ts';
import { describeSystemEvent } from './system-events.ts';

/** What a screen reader says of a message that arrived: who, and what they wrote or shared. */
export function describeArrival(
  message: Message,
  myId: string,
  nameOf: (userId: string) => string,
): string | undefined {
  const sender = nameOf(message.senderId ?? '');
  switch (message.content.type) {
    case 'text':
      return `${sender}: ${wordsOf(message.content)}`;
    case 'attachment': {
      const { attachment, caption } = message.content;
      return `${sender} shared ${attachment.fileName}${caption ? `: ${plainTextOf(caption)}` : ''}`;
    }
    case 'system':
      return describeSystemEvent(message.content.event, myId, nameOf);
    case 'deleted':
      return undefined;
    default:
      return message.content satisfies never;
  }
}
