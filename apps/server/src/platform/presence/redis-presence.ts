import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import type { Clock } from '../clock/index.ts';
import type { ConnectionRef, Presence } from './presence.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    presenceTouch(expiringKey: string, ...args: Array<string | number>): Result<string[], Context>;
    presenceDisconnect(expiringKey: string, ...args: Array<string | number>): Result<number, Context>;
    presenceSweep(expiringKey: string, ...args: Array<string | number>): Result<string[], Context>;
    presenceStatus(...args: Array<string | number>): Result<Array<number | string | null>, Context>;
    presenceSetIdle(...args: Array<string | number>): Result<number, Context>;
  }
}

/**
 * The connections key outlives its newest connection by this much, so that
 * skew between the instances' clocks and Redis's never deletes a connection
 * its score still counts live; past that, a crashed user's keys clean themselves up.
 */
const connectionsKeySlackMs = 60_000;
/** Last-seen outlives the connections, for "last seen 3 days ago". */
const lastSeenRetentionMs = 30 * 24 * 60 * 60 * 1000;

// Per-user keys are built inside the scripts (from ARGV[1], the key base)
// because the sweep only learns user ids from the index; fine on a single
// Redis, which is all this supports (no cluster hash tags).
// Every script takes `now` from the injected clock, never Redis TIME, so
// all instances (and the tests' manual clock) agree on what has expired.

/** Drops the user's expired connections, then re-indexes the user under its latest remaining expiry, or takes it out of the index: returns 1 when this call took it out. */
const settleLua = `
local function settle(expiring, base, userId, now)
  local connections = base .. 'conns:' .. userId
  redis.call('ZREMRANGEBYSCORE', connections, '-inf', now)
  local latest = redis.call('ZRANGE', connections, -1, -1, 'WITHSCORES')
  if latest[2] then
    redis.call('ZADD', expiring, latest[2], userId)
    return 0
  end
  return redis.call('ZREM', expiring, userId)
end
`;

/** ARGV: base, now, expiresAt, connectionsKeyTtl, seenTtl, then userId, connectionId pairs. Returns the users that had no live connection before. */
const touchLua = `
local base, now, expiresAt, connectionsKeyTtl, seenTtl = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local cameOnline = {}
for i = 6, #ARGV, 2 do
  local userId, connectionId = ARGV[i], ARGV[i + 1]
  local connections = base .. 'conns:' .. userId
  redis.call('ZREMRANGEBYSCORE', connections, '-inf', now)
  if redis.call('ZCARD', connections) == 0 then table.insert(cameOnline, userId) end
  redis.call('ZADD', connections, expiresAt, connectionId)
  redis.call('PEXPIRE', connections, connectionsKeyTtl)
  redis.call('PEXPIRE', base .. 'idle:' .. userId, connectionsKeyTtl)
  redis.call('SET', base .. 'seen:' .. userId, now, 'PX', seenTtl)
  redis.call('ZADD', KEYS[1], 'GT', expiresAt, userId)
end
return cameOnline
`;

/** ARGV: base, now, seenTtl, userId, connectionId. */
const disconnectLua = `${settleLua}
local base, now, seenTtl, userId, connectionId = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('ZREM', base .. 'conns:' .. userId, connectionId)
redis.call('SREM', base .. 'idle:' .. userId, connectionId)
redis.call('SET', base .. 'seen:' .. userId, now, 'PX', seenTtl)
return settle(KEYS[1], base, userId, now)
`;

/** ARGV: base, now, limit. Returns userId, lastSeenAt pairs. */
const sweepLua = `${settleLua}
local base, now, limit = ARGV[1], ARGV[2], ARGV[3]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
local wentOffline = {}
for i = 1, #due, 2 do
  local userId = due[i]
  if settle(KEYS[1], base, userId, now) == 1 then
    table.insert(wentOffline, userId)
    -- Last-seen outlives the index entry unless sweeps stopped for its whole
    -- retention (or Redis evicted it); the last expiry is then the best bound.
    table.insert(wentOffline, redis.call('GET', base .. 'seen:' .. userId) or due[i + 1])
  end
end
return wentOffline
`;

/** ARGV: base, now, then user ids. Returns liveConnectionCount, lastSeenAt, isAway (1: every live connection idle) triples. */
const statusLua = `
local base, now = ARGV[1], ARGV[2]
local statuses = {}
for i = 3, #ARGV do
  local live = redis.call('ZRANGEBYSCORE', base .. 'conns:' .. ARGV[i], '(' .. now, '+inf')
  local away = #live > 0 and 1 or 0
  for _, connectionId in ipairs(live) do
    if redis.call('SISMEMBER', base .. 'idle:' .. ARGV[i], connectionId) == 0 then
      away = 0
      break
    end
  end
  table.insert(statuses, #live)
  table.insert(statuses, redis.call('GET', base .. 'seen:' .. ARGV[i]))
  table.insert(statuses, away)
end
return statuses
`;

/** ARGV: base, now, connectionsKeyTtl, userId, connectionId, isIdle (1 or 0). Only a live connection is marked. */
const setIdleLua = `
local base, now, connectionsKeyTtl, userId, connectionId, isIdle = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local idle = base .. 'idle:' .. userId
local expiresAt = redis.call('ZSCORE', base .. 'conns:' .. userId, connectionId)
if not expiresAt or tonumber(expiresAt) <= tonumber(now) then return 0 end
if isIdle == '1' then redis.call('SADD', idle, connectionId) else redis.call('SREM', idle, connectionId) end
redis.call('PEXPIRE', idle, connectionsKeyTtl)
return 1
`;

/**
 * Presence in Redis, shared by every instance; keys live under `keyPrefix`:
 * - `presence:conns:{userId}`: sorted set of connectionId by expiresAt.
 * - `presence:seen:{userId}`: last-seen ms.
 * - `presence:idle:{userId}`: set of the connections marked idle (away is
 *   every live connection in it).
 * - `presence:expiring`: sorted set of the users not yet reported offline, by
 *   their latest connection expiry; what the sweep scans.
 * Each operation is one Lua script, so concurrent sweeps and disconnects
 * never report the same user offline twice.
 */
export function createRedisPresence(options: {
  redis: Redis;
  keyPrefix: string;
  clock: Clock;
  ttlMs: number;
}): Presence {
  const { redis, clock, ttlMs } = options;
  const base = `${options.keyPrefix}presence:`;
  const expiringKey = `${base}expiring`;
  redis.defineCommand('presenceTouch', { numberOfKeys: 1, lua: touchLua });
  redis.defineCommand('presenceDisconnect', { numberOfKeys: 1, lua: disconnectLua });
  redis.defineCommand('presenceSweep', { numberOfKeys: 1, lua: sweepLua });
  redis.defineCommand('presenceStatus', { numberOfKeys: 0, lua: statusLua });
  redis.defineCommand('presenceSetIdle', { numberOfKeys: 0, lua: setIdleLua });

  async function touch(connections: ConnectionRef[]): Promise<string[]> {
    if (connections.length === 0) return [];
    const now = clock.now();
    return redis.presenceTouch(
      expiringKey,
      base,
      now,
      now + ttlMs,
      ttlMs + connectionsKeySlackMs,
      lastSeenRetentionMs,
      ...connections.flatMap(({ userId, connectionId }) => [userId, connectionId]),
    );
  }

  return {
    async connect(connection) {
      return (await touch([connection])).length > 0;
    },
    heartbeat: touch,
    async disconnect({ userId, connectionId }) {
      const wentOffline = await redis.presenceDisconnect(
        expiringKey,
        base,
        clock.now(),
        lastSeenRetentionMs,
        userId,
        connectionId,
      );
      return wentOffline === 1;
    },
    async sweepExpired(limit = 500) {
      const pairs = await redis.presenceSweep(expiringKey, base, clock.now(), limit);
      const wentOffline: Array<{ userId: string; lastSeenAt: number }> = [];
      for (let i = 0; i < pairs.length; i += 2) {
        wentOffline.push({ userId: String(pairs[i]), lastSeenAt: Number(pairs[i + 1]) });
      }
      return wentOffline;
    },
    async statusOf(userIds) {
      if (userIds.length === 0) return [];
      const triples = await redis.presenceStatus(base, clock.now(), ...userIds);
      return userIds.map((userId, index) => {
        const lastSeenAt = triples[3 * index + 1];
        return {
          userId,
          isOnline: Number(triples[3 * index]) > 0,
          lastSeenAt: lastSeenAt == null ? null : Number(lastSeenAt),
          ...(Number(triples[3 * index + 2]) === 1 && { isAway: true as const }),
        };
      });
    },
    async setIdle({ userId, connectionId }, isIdle) {
      await redis.presenceSetIdle(
        base,
        clock.now(),
        ttlMs + connectionsKeySlackMs,
        userId,
        connectionId,
        isIdle ? 1 : 0,
      );
    },
    async close() {
      // The connection is shared and closed by its owner (app.ts).
    },
  };
}
