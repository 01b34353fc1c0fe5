import type { UserEvent } from '@gopherchat/api';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock/index.ts';
import type { EventHub } from './event-hub.ts';
import type { EventLog, LogEntry } from './event-log.ts';
import type { ConversationRepo } from './repo.ts';

/** A subscriber further behind than this many events reloads instead of replaying. */
const MAX_REPLAY_EVENTS = 5_000;
const REPLAY_PAGE = 200;
const RESYNC_JSON = JSON.stringify({ kind: 'resync' } satisfies UserEvent);

/**
 * Where a subscriber's events go: `push` queues one (its id, its JSON);
 * events pushed together leave together, as one batch tracked by the last id.
 */
export interface EventSink {
  /** `isDroppable`: may be skipped while the subscriber's socket is backed up (typing and the like). */
  push(id: string, eventJson: string, isDroppable?: boolean): void;
  /** Resolves once the subscriber can take more: a long replay waits here between pages. */
  writable(): Promise<void>;
  /** Aborts when the subscriber goes away. */
  readonly signal: AbortSignal;
}

export interface StreamOptions {
  /**
   * Events a subscriber gets first once live (e.g. who is online now). Read
   * after registering with the hub, which holds live signals from then on
   * and forwards them after it: no change between the two is lost.
   */
  greeting?: () => Promise<string[]>;
}

/** Each subscriber's events, replayed from the log and then live from the hub; and the log's retention. */
export function createEventStream(deps: {
  log: EventLog;
  hub: EventHub;
  repo: Pick<ConversationRepo, 'conversationIdsOf'>;
  clock: Clock;
  logger: Logger;
  /** How long the event log keeps entries for subscribers to resume from. */
  eventRetentionMs: number;
}) {
  const { log, hub, repo, clock, logger } = deps;
  return {
    /** Forgets log entries older than the retention; a subscriber that far behind is told to resync. */
    pruneEvents(): Promise<number> {
      return log.pruneBefore(new Date(clock.now() - deps.eventRetentionMs));
    },

    /**
     * Pushes every event addressed to `userId` into `sink`, exactly once and
     * in order, from `after` (the last event id the client has) or from now,
     * until the sink's signal aborts. Registers with this instance's hub
     * first, then replays the log from the cursor, then forwards what the hub
     * dispatches, skipping what the replay already sent. A client too far
     * behind gets `resync` instead of the replay.
     */
    async streamEvents(
      userId: string,
      after: bigint | undefined,
      sink: EventSink,
      options: StreamOptions = {},
    ): Promise<void> {
      const listener = hub.register(userId);
      const stop = () => listener.close();
      sink.signal.addEventListener('abort', stop, { once: true });
      try {
        // From the database, not the cache: what the listener joins decides what it is sent.
        listener.joinAll(await repo.conversationIdsOf(userId));
        let cursor = after ?? listener.startId;
        const send = (entry: LogEntry) => {
          if (entry.id <= cursor) return;
          cursor = entry.id;
          sink.push(entry.idText, entry.payload);
        };
        // A signal rides on the id of the last entry sent: resuming from it neither skips nor repeats entries.
        const signal = (payload: string, isDroppable: boolean) => sink.push(cursor.toString(), payload, isDroppable);
        let { greeting } = options;
        /** Tells the client to reload instead of replaying; the stream continues from the head. */
        const resync = async () => {
          cursor = await log.readHeadId();
          sink.push(cursor.toString(), RESYNC_JSON);
        };
        if (after !== undefined) {
          const head = await log.readHeadId();
          if (after > head || (await log.countAfterFor(userId, after, MAX_REPLAY_EVENTS + 1)) > MAX_REPLAY_EVENTS) {
            await resync();
          }
        }
        // Replays from the log first, and again whenever the hub had to drop this listener's queue.
        for (;;) {
          for (let isFirstPage = true; ; isFirstPage = false) {
            const page = await log.readAfterFor(userId, cursor, REPLAY_PAGE);
            // Checked after the read, so pruning that raced it shows: entries past the cursor are gone.
            if (isFirstPage && (await log.readHorizon()) > cursor) {
              await resync();
              break;
            }
            for (const entry of page) send(entry);
            if (page.length < REPLAY_PAGE) break;
            await sink.writable();
          }
          if (greeting) {
            // The last read before forwarding: the signals held since registration, newer news, follow it.
            for (const payload of await greeting()) sink.push(cursor.toString(), payload);
            greeting = undefined;
          }
          const queued = listener.forward({ entry: send, signal });
          if (queued !== 'overflowed') {
            for (const entry of queued) send(entry);
            break;
          }
          logger.warn({ userId }, 'event listener overflowed; replaying from the log');
        }
        await listener.closed;
      } finally {
        sink.signal.removeEventListener('abort', stop);
        listener.close();
      }
    },
  };
}
