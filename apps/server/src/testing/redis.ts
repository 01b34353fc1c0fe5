import Redis from 'ioredis';
import { loadTestServices } from '../env.ts';

export const testRedisUrl = loadTestServices().redisUrl;

/** A key prefix no other test file (or run) shares. */
export function uniqueKeyPrefix(label: string): string {
  return `test:${label}:${crypto.randomUUID().slice(0, 8)}:`;
}

/** Kills every Redis connection whose CLIENT SETNAME starts with `namePrefix`. */
export async function killRedisConnections(namePrefix: string): Promise<number> {
  const admin = new Redis(testRedisUrl);
  try {
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${namePrefix}`))
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    return ids.length;
  } finally {
    admin.disconnect();
  }
}

/** Deletes every key under `prefix` (pub/sub channels leave no keys behind). */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const admin = new Redis(testRedisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
  }
}
