import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Bus, BusHandlers } from './bus.ts';

interface Channel {
  handlers: Set<BusHandlers>;
  /** Settles when Redis has confirmed the SUBSCRIBE for this channel. */
  ready: Promise<unknown>;
}

/**
 * Redis pub/sub: bridges every instance on the same Redis. Delivery is
 * at-most-once (a message published while a subscriber is disconnected is
 * gone), which is why subscribers get `onGap` after every reconnect.
 *
 * One subscriber connection per process multiplexes every topic; channels
 * are SUBSCRIBEd on first use and UNSUBSCRIBEd when their last handler
 * leaves. Commands on one connection run in order, so a SUBSCRIBE issued
 * after an UNSUBSCRIBE of the same channel always wins.
 */
export function createRedisBus(options: {
  url: string;
  keyPrefix: string;
  logger: Logger;
  /** Shown in CLIENT LIST as `<name>-pub` / `<name>-sub`. */
  connectionName?: string;
}): Bus {
  const { keyPrefix, logger } = options;
  const connectionName = options.connectionName ?? 'gopherchat';
  const publisher = new Redis(options.url, { maxRetriesPerRequest: 2, connectionName: `${connectionName}-pub` });
  const subscriber = new Redis(options.url, {
    // We resubscribe ourselves so that we know when it is done and can tell
    // subscribers about the gap only after the subscription is live again.
    autoResubscribe: false,
    // The ready check (INFO) is refused once a SUBSCRIBE queued before the
    // connection was up has put it in subscriber mode; it only guards against
    // a server still loading its dataset, which pub/sub does not need.
    enableReadyCheck: false,
    maxRetriesPerRequest: null,
    connectionName: `${connectionName}-sub`,
  });
  const channels = new Map<string, Channel>();
  let hasBeenReady = false;

  for (const connection of [publisher, subscriber]) {
    // ioredis reconnects by itself; without a listener an error event would crash the process.
    connection.on('error', (error) => logger.warn({ err: error }, 'redis bus connection error'));
  }

  subscriber.on('message', (channel: string, payload: string) => {
    const entry = channels.get(channel);
    if (!entry) return;
    for (const handler of [...entry.handlers]) deliver(() => handler.onMessage(payload));
  });

  subscriber.on('ready', () => {
    if (!hasBeenReady) {
      hasBeenReady = true;
      return;
    }
    const names = [...channels.keys()];
    const resubscribed = names.length > 0 ? subscriber.subscribe(...names) : Promise.resolve();
    resubscribed.then(
      () => {
        logger.info({ channels: names.length }, 'redis bus reconnected; telling subscribers to catch up');
        for (const entry of channels.values()) {
          for (const handler of [...entry.handlers]) deliver(() => handler.onGap?.());
        }
      },
      (error) => logger.error({ err: error }, 'redis bus failed to resubscribe'),
    );
  });

  function deliver(callback: () => void) {
    try {
      callback();
    } catch (error) {
      logger.error({ err: error }, 'bus subscriber threw');
    }
  }

  return {
    async publish(topic, payload) {
      await publisher.publish(keyPrefix + topic, payload);
    },

    async subscribe(topic, handlers, signal) {
      if (signal.aborted) return;
      const name = keyPrefix + topic;
      let entry = channels.get(name);
      if (!entry) {
        entry = { handlers: new Set(), ready: subscriber.subscribe(name) };
        channels.set(name, entry);
      }
      const channel = entry;
      const own: BusHandlers = {
        onMessage: (payload) => handlers.onMessage(payload),
        onGap: () => handlers.onGap?.(),
      };
      channel.handlers.add(own);
      const leave = () => {
        channel.handlers.delete(own);
        if (channel.handlers.size === 0 && channels.get(name) === channel) {
          channels.delete(name);
          subscriber.unsubscribe(name).catch((error) => logger.warn({ err: error }, 'redis unsubscribe failed'));
        }
      };
      signal.addEventListener('abort', leave, { once: true });
      try {
        await channel.ready;
      } catch (error) {
        // Forget the failed channel so that the next subscribe retries it.
        signal.removeEventListener('abort', leave);
        leave();
        if (channels.get(name) === channel) channels.delete(name);
        throw error;
      }
    },

    async ping() {
      await publisher.ping();
    },

    async close() {
      channels.clear();
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}
