import type { UserEvent } from '@gopherchat/api';
import type { GopherClient } from '@gopherchat/sdk';
import { collect } from './collect.ts';
import type { TestServer } from './test-server.ts';

/** The two ways the app runs: embedded defaults, and real PostgreSQL and Redis. */
export const backends = [
  { name: 'embedded (PGlite, memory bus)', database: 'pglite', bus: 'memory' },
  { name: 'real services (PostgreSQL, Redis)', database: 'postgres', bus: 'redis' },
] as const;

export type Person = GopherClient & { username: string; id: string; accessToken: string };

/** A new account on `t`, signed in, with its user id. */
export async function person(t: TestServer): Promise<Person> {
  const client = await t.signUp();
  const me = await client.api.auth.me.query();
  return Object.assign(client, { id: me.id });
}

/** Events that are signalled live but never stored, so a count of the stream's events leaves them out. */
const LIVE_ONLY_KINDS = new Set<UserEvent['kind']>(['presence', 'typing', 'profile']);

/**
 * Subscribes `who` to their events (from `lastEventId` when given); events
 * arrive decoded, each with the id of the batch it came in. Only the
 * stream's stored events are kept, unless `includeLive`.
 */
export function eventsOf(who: GopherClient, lastEventId?: string, options: { includeLive?: boolean } = {}) {
  return collect<{ id: string; event: UserEvent }>((handlers) =>
    who.api.events.subscribe.subscribe(lastEventId ? { lastEventId } : undefined, {
      onStarted: handlers.onStarted,
      onError: handlers.onError,
      onData: ({ id, data }) => {
        for (const event of data) {
          if (options.includeLive || !LIVE_ONLY_KINDS.has(event.kind)) handlers.onData({ id, event });
        }
      },
    }),
  );
}

/** Every event `who` receives, live signals included. */
export const allEventsOf = (who: GopherClient, lastEventId?: string) =>
  eventsOf(who, lastEventId, { includeLive: true });

/** The events of one kind, narrowed. */
export function eventsOfKind<TKind extends UserEvent['kind']>(events: { event: UserEvent }[], kind: TKind) {
  return events.flatMap(({ event }) => (event.kind === kind ? [event as Extract<UserEvent, { kind: TKind }>] : []));
}

export const texts = (events: { event: UserEvent }[]) =>
  eventsOfKind(events, 'message').flatMap(({ message }) =>
    message.content.type === 'text' ? [message.content.text] : [],
  );

export const text = (value: string) => ({ type: 'text' as const, text: value });

let clientIds = 0;
export const clientId = () => `c${Date.now()}-${++clientIds}`;

/** Ada's group "Crew" with Bob (a member), holding `count` messages of Bob's ("note 0", "note 1", …). */
export async function crewWithNotes(t: TestServer, count: number) {
  const [ada, bob] = [await person(t), await person(t)];
  const { id: conversationId } = await ada.api.conversations.createGroup.mutate({ title: 'Crew', memberIds: [bob.id] });
  const seqs: number[] = [];
  for (let index = 0; index < count; index++) {
    const sent = await bob.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: text(`note ${index}`),
    });
    seqs.push(sent.seq);
  }
  return { ada, bob, conversationId, seqs };
}
