import type { SystemEvent } from '@gopherchat/api';

/**
 * A conversation's note of a change, as a sentence: "Ada added Bob", "You
 * removed Bob", "Ada removed you" (never "removed You"). `nameOf` gives
 * other people's names; I am "You" as the subject and "you" otherwise.
 */
export function describeSystemEvent(event: SystemEvent, myId: string, nameOf: (userId: string) => string): string {
  const subject = (userId: string) => (userId === myId ? 'You' : nameOf(userId));
  const object = (userId: string) => (userId === myId ? 'you' : nameOf(userId));
  switch (event.kind) {
    case 'created':
      return `${subject(event.by)} started the conversation`;
    case 'member_added':
      return `${subject(event.by)} added ${object(event.userId)}`;
    case 'member_removed':
      return `${subject(event.by)} removed ${object(event.userId)}`;
    case 'member_left':
      return `${subject(event.userId)} left`;
    case 'renamed':
      return `${subject(event.by)} renamed the group to “${event.title}”`;
    case 'picture_changed':
      return `${subject(event.by)} ${event.isRemoved ? 'removed the group picture' : 'changed the group picture'}`;
    case 'role_changed':
      if (event.role === 'admin') return `${subject(event.by)} made ${object(event.userId)} an admin`;
      return event.by === event.userId
        ? `${subject(event.by)} stepped down as admin`
        : `${subject(event.by)} removed ${object(event.userId)} as admin`;
    case 'owner_changed':
      return `${subject(event.by)} made ${object(event.userId)} the owner`;
    case 'pinned':
      return `${subject(event.by)} pinned a message`;
    default:
      return event satisfies never;
  }
}
