import type { Clock } from '../clock/index.ts';
import type { ConnectionRef, Presence } from './presence.ts';

interface UserEntry {
  /** connectionId → expiresAt */
  connections: Map<string, number>;
  /** Connections marked idle (some may have expired since). */
  idle: Set<string>;
  lastSeenAt: number;
  /**
   * While the user still awaits an offline report: the latest expiry among its connections.
   * Undefined once a sweep or a disconnect has reported the user offline, so it is reported once.
   */
  expiringAt: number | undefined;
}

/**
 * In-process presence: the embedded default. Same semantics as the Redis
 * implementation; expiry is read from the clock, so nothing runs on a timer.
 * Entries are kept after their user goes offline, for last-seen.
 */
export function createMemoryPresence(options: { clock: Clock; ttlMs: number }): Presence {
  const { clock, ttlMs } = options;
  const users = new Map<string, UserEntry>();

  function entryFor(userId: string, now: number): UserEntry {
    let user = users.get(userId);
    if (!user) {
      user = { connections: new Map(), idle: new Set(), lastSeenAt: now, expiringAt: undefined };
      users.set(userId, user);
    }
    return user;
  }

  function dropExpiredConnections(user: UserEntry, now: number) {
    for (const [connectionId, expiresAt] of user.connections) {
      if (expiresAt > now) continue;
      user.connections.delete(connectionId);
      user.idle.delete(connectionId);
    }
  }

  /** Resolves true when the user had no live connection before. */
  function touch({ userId, connectionId }: ConnectionRef, now: number): boolean {
    const user = entryFor(userId, now);
    dropExpiredConnections(user, now);
    const wasOffline = user.connections.size === 0;
    const expiresAt = now + ttlMs;
    user.connections.set(connectionId, expiresAt);
    user.lastSeenAt = now;
    user.expiringAt = Math.max(user.expiringAt ?? expiresAt, expiresAt);
    return wasOffline;
  }

  /** Re-indexes the user under its latest live expiry; true when none is left and it was still awaiting its offline report. */
  function settle(user: UserEntry, now: number): boolean {
    dropExpiredConnections(user, now);
    if (user.connections.size > 0) {
      user.expiringAt = Math.max(...user.connections.values());
      return false;
    }
    const wasAwaitingReport = user.expiringAt !== undefined;
    user.expiringAt = undefined;
    return wasAwaitingReport;
  }

  return {
    async connect(connection) {
      return touch(connection, clock.now());
    },
    async heartbeat(connections) {
      const now = clock.now();
      return connections.flatMap((connection) => (touch(connection, now) ? [connection.userId] : []));
    },
    async disconnect({ userId, connectionId }) {
      const now = clock.now();
      const user = entryFor(userId, now);
      user.connections.delete(connectionId);
      user.idle.delete(connectionId);
      user.lastSeenAt = now;
      return settle(user, now);
    },
    async setIdle({ userId, connectionId }, isIdle) {
      const user = users.get(userId);
      if (!user) return;
      dropExpiredConnections(user, clock.now());
      if (!user.connections.has(connectionId)) return;
      if (isIdle) user.idle.add(connectionId);
      else user.idle.delete(connectionId);
    },
    async sweepExpired(limit = 500) {
      const now = clock.now();
      const due = [...users]
        .flatMap(([userId, user]) =>
          user.expiringAt !== undefined && user.expiringAt <= now
            ? [{ userId, user, expiringAt: user.expiringAt }]
            : [],
        )
        .sort((a, b) => a.expiringAt - b.expiringAt)
        .slice(0, limit);
      return due
        .filter(({ user }) => settle(user, now))
        .map(({ userId, user }) => ({ userId, lastSeenAt: user.lastSeenAt }));
    },
    async statusOf(userIds) {
      const now = clock.now();
      return userIds.map((userId) => {
        const user = users.get(userId);
        if (!user) return { userId, isOnline: false, lastSeenAt: null };
        dropExpiredConnections(user, now);
        const isOnline = user.connections.size > 0;
        const isAway = isOnline && [...user.connections.keys()].every((connectionId) => user.idle.has(connectionId));
        return { userId, isOnline, lastSeenAt: user.lastSeenAt, ...(isAway && { isAway: true as const }) };
      });
    },
    async close() {
      users.clear();
    },
  };
}
