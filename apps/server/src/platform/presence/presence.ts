export interface PresenceStatus {
  userId: string;
  isOnline: boolean;
  /** ms epoch of the last connect/heartbeat/disconnect; null if never seen */
  lastSeenAt: number | null;
  /** Present (true) when online with every live connection idle: away from every device. */
  isAway?: true;
}

/** One live connection of a user: an open tab's or device's subscription. */
export interface ConnectionRef {
  userId: string;
  connectionId: string;
}

/**
 * Who is online, shared between instances when backed by Redis. A user is
 * online while any of their connections is unexpired; heartbeats keep
 * connections alive, so a connection whose server crashed expires by itself
 * and a later sweep (by any instance) reports its user offline.
 */
export interface Presence {
  /** Registers a live connection until now+ttl. Resolves true when the user was offline before (came online). */
  connect(connection: ConnectionRef): Promise<boolean>;
  /**
   * Refreshes many connections' TTLs in one round trip. Returns the userIds that were offline before
   * (e.g. their connection had expired and been swept, or expired without sweep): they came back online.
   * A connection not known is re-added (Redis was restarted, etc).
   */
  heartbeat(connections: ConnectionRef[]): Promise<string[]>;
  /**
   * Removes a connection. Resolves true when it was the user's last live connection (went offline).
   * Unknown connection: false, unless the user now has no live connection and had not been reported
   * offline yet (then true, reported once).
   */
  disconnect(connection: ConnectionRef): Promise<boolean>;
  /**
   * Users whose every connection has expired without a disconnect, each reported exactly once across
   * all handles/instances, with their last-seen time. At most `limit` (default 500) per call.
   */
  sweepExpired(limit?: number): Promise<Array<{ userId: string; lastSeenAt: number }>>;
  /**
   * Marks a live connection idle (its person is not using that device) or
   * in use again. A connection not known, or expired, is left alone. A new
   * connection starts in use; a disconnect forgets the mark.
   */
  setIdle(connection: ConnectionRef, isIdle: boolean): Promise<void>;
  /** Current status of each user, in the order given. */
  statusOf(userIds: string[]): Promise<PresenceStatus[]>;
  close(): Promise<void>;
}
