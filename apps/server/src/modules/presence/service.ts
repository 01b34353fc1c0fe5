import type { UserEvent, UserPresence } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Bus } from '../../platform/bus/index.ts';
import type { ConnectionRef, Presence, PresenceStatus } from '../../platform/presence/index.ts';
import type { LiveSignal } from '../conversations/index.ts';

/** Who a person's presence concerns: the people they share a conversation with. */
export interface PresenceDirectory {
  conversationIdsOf(userId: string): Promise<string[]>;
  contactsOf(userId: string): Promise<string[]>;
  memberIdsOf(conversationId: string): Promise<string[]>;
}

const toWire = (status: PresenceStatus): UserPresence => ({
  userId: status.userId,
  isOnline: status.isOnline,
  lastSeenAt: status.lastSeenAt === null ? null : new Date(status.lastSeenAt).toISOString(),
  ...(status.isAway && { isAway: true }),
});

const presenceEvent = (users: UserPresence[], isStale?: boolean) =>
  JSON.stringify({ kind: 'presence', users, ...(isStale === undefined ? {} : { isStale }) } satisfies UserEvent);

/** How many people's presence is re-read at once after an outage. */
const REFRESH_BATCH = 50;

/**
 * Online, away and last-seen. Every live event subscription is a connection: the
 * first one of a person makes them online, the last one to close (or to
 * expire, when its instance died) makes them offline, and each change is
 * signalled to the people they share a conversation with, on every
 * instance. This instance heartbeats its own connections in one batch, and
 * sweeps connections any instance left to expire.
 *
 * Away: a client says when its person has left it idle (and when they are
 * back), for the connections of its socket. Someone online is away while
 * every connection of theirs is idle; the change is announced when a mark
 * makes it, when the one connection in use goes, and when a new one comes.
 *
 * While the bus is in outage mode (Redis lost, or silent), other instances'
 * changes cannot reach this one, and the presence store, on the same Redis,
 * cannot be read or written: every person connected here is told their
 * presence view is stale (`isStale: true`), and so are those who connect
 * meanwhile, in their greeting. Once the bus is back, this instance
 * heartbeats its connections (announcing the people who came or stayed
 * online meanwhile) and sends each person connected here a fresh snapshot
 * with `isStale: false`.
 */
export function createPresenceService(deps: {
  presence: Presence;
  signal: (signal: LiveSignal) => Promise<void>;
  directory: PresenceDirectory;
  /** Heartbeat and sweep period; well under the presence TTL. */
  heartbeatEveryMs: number;
  now: () => number;
  logger: Logger;
  /** Whose outages make presence stale; an in-process bus has none. */
  bus?: Pick<Bus, 'watchOutage'>;
}) {
  const { presence, directory, logger } = deps;
  const connections = new Set<ConnectionRef>();
  /** This instance's connections by the socket that carries them, for a socket's idle marks. */
  const bySocket = new Map<string, Set<ConnectionRef>>();
  const idle = new Set<ConnectionRef>();
  const connectionsOfSocket = (socketId: string) => {
    const found = bySocket.get(socketId) ?? new Set<ConnectionRef>();
    bySocket.set(socketId, found);
    return found;
  };
  const releasing = new Set<Promise<void>>();
  /** Whether the bus is in outage mode: see above. */
  let isStale = false;

  async function announce(statuses: PresenceStatus[]) {
    await Promise.all(
      statuses.map(async (status) =>
        deps.signal({
          conversationIds: await directory.conversationIdsOf(status.userId),
          exceptUserId: status.userId,
          payload: presenceEvent([toWire(status)]),
          isDroppable: false,
        }),
      ),
    );
  }

  const online = (userId: string): PresenceStatus => ({ userId, isOnline: true, lastSeenAt: deps.now() });

  async function tick() {
    const cameBack = await presence.heartbeat([...connections]);
    const wentAway = await presence.sweepExpired();
    await announce([
      ...cameBack.map(online),
      ...wentAway.map(({ userId, lastSeenAt }) => ({ userId, isOnline: false, lastSeenAt })),
    ]);
  }

  let isTicking = false;
  async function beat() {
    if (isTicking) return;
    isTicking = true;
    try {
      await tick();
    } catch (error) {
      logger.warn({ err: error }, 'presence heartbeat failed; retrying next period');
    } finally {
      isTicking = false;
    }
  }
  const timer = setInterval(beat, deps.heartbeatEveryMs);
  timer.unref();

  const connectedUserIds = () => [...new Set([...connections].map((connection) => connection.userId))];

  async function markStale() {
    const userIds = connectedUserIds();
    if (userIds.length > 0) await deps.signal({ userIds, payload: presenceEvent([], true), isDroppable: false });
  }

  /** After an outage: what changed meanwhile is in the store again, and everyone connected here gets a snapshot. */
  async function refresh() {
    await beat();
    const userIds = connectedUserIds();
    for (let start = 0; start < userIds.length && !isStale; start += REFRESH_BATCH) {
      await Promise.all(
        userIds.slice(start, start + REFRESH_BATCH).map(async (userId) => {
          try {
            const users = (await presence.statusOf(await directory.contactsOf(userId))).map(toWire);
            // Lost again meanwhile: the stale mark stands until the next recovery.
            if (isStale) return;
            await deps.signal({ userIds: [userId], payload: presenceEvent(users, false), isDroppable: false });
          } catch (error) {
            logger.warn({ err: error, userId }, 'cannot refresh presence after the outage; it stays stale');
          }
        }),
      );
    }
  }

  const stopWatchingOutages = deps.bus?.watchOutage?.((isInOutage) => {
    isStale = isInOutage;
    (isInOutage ? markStale() : refresh()).catch((error) =>
      logger.warn({ err: error }, 'cannot tell connected people about the outage'),
    );
  });

  async function release(connection: ConnectionRef) {
    connections.delete(connection);
    const wasIdle = idle.delete(connection);
    if (await presence.disconnect(connection)) {
      await announce([{ userId: connection.userId, isOnline: false, lastSeenAt: deps.now() }]);
      return;
    }
    // The connection in use went; what is left of theirs may all be idle.
    if (wasIdle) return;
    const [status] = await presence.statusOf([connection.userId]);
    if (status?.isAway) await announce([status]);
  }

  /** Settles once every connection that has closed so far is released, and who went offline was signalled. */
  async function whenReleased(): Promise<void> {
    await Promise.all(releasing);
  }

  return {
    /**
     * Runs `work` (a live subscription) with `userId` counted online
     * meanwhile. `work` starts at once, not after the presence store
     * answered: a subscription must be listening by the time its client is
     * told it started.
     */
    async whileConnected<T>(userId: string, work: () => Promise<T>, socketId?: string): Promise<T> {
      const connection = { userId, connectionId: crypto.randomUUID() };
      connections.add(connection);
      const ofSocket = socketId === undefined ? undefined : connectionsOfSocket(socketId);
      ofSocket?.add(connection);
      const connecting = presence
        .statusOf([userId])
        .then(async ([before]) => {
          // A new connection is in use: online if they were not, back if they were away.
          if ((await presence.connect(connection)) || before?.isAway) await announce([online(userId)]);
        })
        // Presence is a nicety: its store failing must not keep anyone from their messages.
        .catch((error) => logger.warn({ err: error, userId }, 'cannot mark connection online'));
      try {
        return await work();
      } finally {
        ofSocket?.delete(connection);
        if (socketId !== undefined && ofSocket?.size === 0) bySocket.delete(socketId);
        const released = connecting
          .then(() => release(connection))
          .catch((error) => logger.warn({ err: error, userId }, 'cannot mark connection offline'))
          .finally(() => releasing.delete(released));
        releasing.add(released);
      }
    },

    /**
     * The presence of everyone `userId` shares a conversation with, as one
     * event (none if nobody); during an outage, only that it is stale.
     */
    async greetingFor(userId: string): Promise<string[]> {
      // Not read: the store is on the Redis that is gone, and the subscription would wait for it.
      if (isStale) return [presenceEvent([], true)];
      const contacts = await directory.contactsOf(userId);
      if (contacts.length === 0) return [];
      try {
        return [presenceEvent((await presence.statusOf(contacts)).map(toWire))];
      } catch (error) {
        logger.warn({ err: error, userId }, 'cannot read presence; the subscription starts without it');
        return [];
      }
    },

    /**
     * Newcomers to a conversation (or everyone, in a new one) learn who of
     * its members is online, and its members learn about the newcomers: the
     * greeting only covered the people they shared a conversation with then.
     */
    async introduce(conversationId: string, newcomerIds: string[]) {
      try {
        const memberIds = await directory.memberIdsOf(conversationId);
        const statuses = (await presence.statusOf(memberIds)).map(toWire);
        const newcomers = new Set(newcomerIds);
        await deps.signal({ userIds: newcomerIds, payload: presenceEvent(statuses), isDroppable: false });
        if (memberIds.length > newcomers.size) {
          await deps.signal({
            conversationIds: [conversationId],
            payload: presenceEvent(statuses.filter((status) => newcomers.has(status.userId))),
            isDroppable: false,
          });
        }
      } catch (error) {
        logger.warn({ err: error, conversationId }, 'cannot introduce newcomers’ presence');
      }
    },

    /**
     * The person on `socketId` has left it idle, or is back: marks its
     * connections, and tells the people they share a conversation with if
     * that made them away or back.
     */
    async setIdle(userId: string, socketId: string, isIdle: boolean): Promise<void> {
      const marked = [...(bySocket.get(socketId) ?? [])].filter((connection) => connection.userId === userId);
      if (marked.length === 0) return;
      const [before] = await presence.statusOf([userId]);
      for (const connection of marked) {
        if (isIdle) idle.add(connection);
        else idle.delete(connection);
        await presence.setIdle(connection, isIdle);
      }
      const [after] = await presence.statusOf([userId]);
      if (after && Boolean(after.isAway) !== Boolean(before?.isAway)) await announce([after]);
    },

    /** Connections counted online on this instance now. */
    get connectionCount() {
      return connections.size;
    },

    whenReleased,

    /** Stops heartbeating; connections still open are released (their people go offline now, not at expiry). */
    async stop() {
      clearInterval(timer);
      stopWatchingOutages?.();
      await Promise.all([...connections].map((connection) => release(connection).catch(() => {})));
      await whenReleased();
    },
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
