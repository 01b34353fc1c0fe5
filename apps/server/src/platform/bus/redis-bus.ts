import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Bus, BusHandlers } from './bus.ts';

interface Channel {
  handlers: Set<BusHandlers>;
  /** Settles when Redis has confirmed the SUBSCRIBE for this channel. */
  ready: Promise<unknown>;
}

/** While Redis is lost, how often subscribers are told they may have missed messages (and so poll the log). */
const OUTAGE_GAP_EVERY_MS = 1_000;
/** How often the subscriber connection is asked to PING while Redis is up. */
const PROBE_EVERY_MS = 1_000;
/** How long Redis may take to answer a probe or a command before it counts as lost. */
const ANSWER_DEADLINE_MS = 1_000;

/**
 * Redis pub/sub: bridges every instance on the same Redis. Delivery is
 * at-most-once (a message published while a subscriber is disconnected is
 * gone), which is why subscribers get `onGap` after every reconnect.
 *
 * Redis is an accelerator, not a single point of failure. Once the
 * subscriber connection that was up is lost, and until it is back: what
 * this process publishes goes straight to its own subscribers (people on one
 * instance keep talking) and to Redis only if the publishing connection is
 * up (never queued to arrive late), and every subscriber gets `onGap` every
 * `outageGapEveryMs`, which makes the log's followers read what other
 * instances committed from PostgreSQL.
 *
 * Lost means closed, or silent: a Redis that is paused (SIGSTOP, a frozen
 * VM, a partition that drops packets) keeps its TCP connections open and
 * errs nothing. So the subscriber connection PINGs every `probeEveryMs`; no
 * answer within `answerDeadlineMs` counts as lost, and both connections are
 * dropped and reconnect. Their handshakes go unanswered until Redis answers
 * again: the publisher's (bounded by the same deadline, as every command of
 * it is) keeps it from being ready, so nothing is queued for a silent Redis,
 * and the subscriber's resubscription ends the outage once it is answered.
 * Detection takes at most `probeEveryMs + answerDeadlineMs`.
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
  outageGapEveryMs?: number;
  probeEveryMs?: number;
  answerDeadlineMs?: number;
}): Bus {
  const { keyPrefix, logger } = options;
  const outageGapEveryMs = options.outageGapEveryMs ?? OUTAGE_GAP_EVERY_MS;
  const probeEveryMs = options.probeEveryMs ?? PROBE_EVERY_MS;
  const answerDeadlineMs = options.answerDeadlineMs ?? ANSWER_DEADLINE_MS;
  const connectionName = options.connectionName ?? 'gopherchat';
  const publisher = new Redis(options.url, {
    maxRetriesPerRequest: 2,
    // A publish (and the connection handshake) that Redis leaves unanswered fails after the deadline…
    commandTimeout: answerDeadlineMs,
    // …and is not sent again on the next connection, to arrive late.
    autoResendUnfulfilledCommands: false,
    // A silent server never acknowledges the FIN either: a dropped connection is destroyed after this.
    disconnectTimeout: answerDeadlineMs,
    connectionName: `${connectionName}-pub`,
  });
  const subscriber = new Redis(options.url, {
    // We resubscribe ourselves so that we know when it is done and can tell
    // subscribers about the gap only after the subscription is live again.
    autoResubscribe: false,
    // The ready check (INFO) is refused once a SUBSCRIBE queued before the
    // connection was up has put it in subscriber mode; it only guards against
    // a server still loading its dataset, which pub/sub does not need.
    enableReadyCheck: false,
    maxRetriesPerRequest: null,
    disconnectTimeout: answerDeadlineMs,
    connectionName: `${connectionName}-sub`,
  });
  const channels = new Map<string, Channel>();
  const outageListeners = new Set<(isInOutage: boolean) => void>();
  let hasBeenReady = false;
  /** Set while a connection that was up is lost: the outage mode described above. */
  let outageTimer: ReturnType<typeof setInterval> | undefined;

  const signalGaps = () => {
    for (const entry of channels.values()) {
      for (const handler of [...entry.handlers]) deliver(() => handler.onGap?.());
    }
  };

  const tellOutageListeners = (isInOutage: boolean) => {
    for (const listener of [...outageListeners]) deliver(() => listener(isInOutage));
  };

  let isClosed = false;
  function enterOutage(why: string) {
    if (!hasBeenReady || outageTimer || isClosed) return;
    logger.warn(`redis bus lost (${why}); delivering locally and polling the log until it is back`);
    outageTimer = setInterval(signalGaps, outageGapEveryMs);
    outageTimer.unref();
    tellOutageListeners(true);
  }

  function leaveOutage() {
    if (!outageTimer) return;
    clearInterval(outageTimer);
    outageTimer = undefined;
    tellOutageListeners(false);
  }

  subscriber.on('close', () => enterOutage('connection closed'));

  /**
   * Whether the publisher has a connection that Redis answered. Not its
   * status: a connection being dropped stays 'ready' until it closes, and
   * meanwhile queues what it is given, to send it late.
   */
  let isPublisherUp = false;
  publisher.on('ready', () => {
    isPublisherUp = true;
  });
  publisher.on('close', () => {
    isPublisherUp = false;
  });

  let isProbing = false;
  /** Asks the subscriber connection for a PING; silence past the deadline is an outage. */
  async function probe() {
    if (isProbing || outageTimer || isClosed || subscriber.status !== 'ready') return;
    isProbing = true;
    const { promise: deadlinePassed, resolve } = Promise.withResolvers<'silent'>();
    const deadline = setTimeout(() => resolve('silent'), answerDeadlineMs);
    // An error is an answer too: a connection that errs closes, and 'close' handles that.
    const outcome = await Promise.race([
      subscriber.ping().then(
        () => 'answered' as const,
        () => 'answered' as const,
      ),
      deadlinePassed,
    ]);
    clearTimeout(deadline);
    isProbing = false;
    if (outcome !== 'silent' || outageTimer || isClosed) return;
    enterOutage(`no answer to PING within ${answerDeadlineMs} ms`);
    // Reconnecting is what ends the outage: see above.
    isPublisherUp = false;
    subscriber.disconnect(true);
    publisher.disconnect(true);
  }
  const prober = setInterval(() => void probe(), probeEveryMs);
  prober.unref();

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
        // Back to Redis only once subscribed again: a message published before that would be missed by us.
        leaveOutage();
        logger.info({ channels: names.length }, 'redis bus reconnected; telling subscribers to catch up');
        signalGaps();
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
      if (!outageTimer) {
        await publisher.publish(keyPrefix + topic, payload);
        return;
      }
      // Other instances may still hear Redis; a message queued for later would reach them late.
      if (isPublisherUp) {
        publisher
          .publish(keyPrefix + topic, payload)
          .catch((error) => logger.warn({ err: error }, 'redis bus publish failed during the outage'));
      }
      const entry = channels.get(keyPrefix + topic);
      if (!entry) return;
      // As Redis would: on a later turn, to everyone subscribed now.
      const recipients = [...entry.handlers];
      queueMicrotask(() => {
        for (const handler of recipients) if (entry.handlers.has(handler)) deliver(() => handler.onMessage(payload));
      });
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

    watchOutage(listener) {
      const own = (isInOutage: boolean) => listener(isInOutage);
      outageListeners.add(own);
      return () => {
        outageListeners.delete(own);
      };
    },

    async close() {
      isClosed = true;
      clearInterval(outageTimer);
      clearInterval(prober);
      outageListeners.clear();
      channels.clear();
      subscriber.disconnect();
      await publisher.quit().catch(() => publisher.disconnect());
    },
  };
}
