import type { Logger } from 'pino';
import { gapFreeStream } from '../../lib/gap-free-stream.ts';
import type { Bus } from '../../platform/bus/index.ts';
import { decodeLogEntries, EVENTS_TOPIC, type EventLog, type LogEntry } from './event-log.ts';

/** Bus topic of live signals: events that are never stored (typing, presence). */
const SIGNALS_TOPIC = 'live-signals';

/**
 * An event for whoever is connected now, never stored and never replayed:
 * someone not listening at that moment simply does not get it.
 */
export interface LiveSignal {
  /** Everyone listening to these conversations receives it… */
  conversationIds?: string[];
  /** …and these people… */
  userIds?: string[];
  /** …except this person (who caused it). */
  exceptUserId?: string;
  /** The `UserEvent` as JSON. */
  payload: string;
  /** May be skipped for a subscriber whose socket is backed up (typing: the next one supersedes it). */
  isDroppable: boolean;
}

/** Where a forwarding listener's deliveries go. */
export interface ListenerSink {
  entry(entry: LogEntry): void;
  signal(payload: string, isDroppable: boolean): void;
}

/** Past this many undelivered entries a listener stops queueing and re-reads the log instead. */
const LISTENER_QUEUE_LIMIT = 10_000;
const RESTART_DELAY_MS = 1_000;
/** Live signals a listener keeps until it forwards (during its replay); older ones are stale by then. */
const HELD_SIGNALS_LIMIT = 100;

/** One live subscription of one person on this instance. */
export interface Listener {
  readonly userId: string;
  /** The last entry the hub had dispatched when this listener registered. */
  readonly startId: bigint;
  /** Settles once the listener is closed. */
  readonly closed: Promise<void>;
  /**
   * Returns the entries queued since registration, in id order, and from now
   * on hands each new entry (and each live signal) to `sink` as it is
   * dispatched; 'overflowed' (and nothing forwarded) when the queue was
   * dropped: re-read the log, then call again. The live signals that came
   * since registration (the latest HELD_SIGNALS_LIMIT) go to `sink` first.
   */
  forward(sink: ListenerSink): LogEntry[] | 'overflowed';
  /** Stops listening. */
  close(): void;
}

interface ListenerState extends Listener {
  queue: LogEntry[];
  heldSignals: Array<[payload: string, isDroppable: boolean]>;
  isOverflowed: boolean;
  isClosed: boolean;
  sink: ListenerSink | undefined;
  conversations: Set<string>;
}

/**
 * This instance's single reader of the event log. It follows the whole log
 * in id order, gap-free (bus first, holes filled from Postgres), and hands
 * each entry to the local listeners it is addressed to. Membership changes
 * are applied in log order as they pass through, so a removed member stops
 * receiving at exactly that point, on every instance.
 */
export function createEventHub(deps: { log: EventLog; bus: Bus; logger: Logger }) {
  const { log, bus, logger } = deps;
  const byConversation = new Map<string, Set<ListenerState>>();
  const byUser = new Map<string, Set<ListenerState>>();
  let position = 0n;
  const stop = new AbortController();

  function deliver(listener: ListenerState, entry: LogEntry) {
    if (listener.sink) listener.sink.entry(entry);
    else if (listener.isOverflowed) return;
    else if (listener.queue.length >= LISTENER_QUEUE_LIMIT) {
      listener.queue = [];
      listener.isOverflowed = true;
    } else {
      listener.queue.push(entry);
    }
  }

  function join(listener: ListenerState, conversationId: string) {
    listener.conversations.add(conversationId);
    let members = byConversation.get(conversationId);
    if (!members) {
      members = new Set();
      byConversation.set(conversationId, members);
    }
    members.add(listener);
  }

  function leave(listener: ListenerState, conversationId: string) {
    listener.conversations.delete(conversationId);
    const members = byConversation.get(conversationId);
    members?.delete(listener);
    if (members?.size === 0) byConversation.delete(conversationId);
  }

  function dispatch(entry: LogEntry) {
    position = entry.id;
    const subjects = entry.subjectUserId ? byUser.get(entry.subjectUserId) : undefined;
    switch (entry.kind) {
      case 'member_left':
        for (const listener of subjects ?? []) {
          deliver(listener, entry);
          leave(listener, entry.conversationId);
        }
        return;
      case 'member_joined':
        for (const listener of subjects ?? []) join(listener, entry.conversationId);
        break;
      default:
        break;
    }
    for (const listener of byConversation.get(entry.conversationId) ?? []) deliver(listener, entry);
  }

  /** Each listener of the signal's audience gets it once. */
  function dispatchSignal(signal: LiveSignal) {
    const reached = new Set<ListenerState>();
    const audiences = [
      ...(signal.conversationIds ?? []).map((conversationId) => byConversation.get(conversationId)),
      ...(signal.userIds ?? []).map((userId) => byUser.get(userId)),
    ];
    for (const audience of audiences) {
      for (const listener of audience ?? []) {
        if (listener.userId === signal.exceptUserId || reached.has(listener)) continue;
        reached.add(listener);
        if (listener.sink) listener.sink.signal(signal.payload, signal.isDroppable);
        else if (!listener.isClosed) {
          listener.heldSignals.push([signal.payload, signal.isDroppable]);
          if (listener.heldSignals.length > HELD_SIGNALS_LIMIT) listener.heldSignals.shift();
        }
      }
    }
  }

  async function follow() {
    while (!stop.signal.aborted) {
      try {
        const stream = gapFreeStream<LogEntry>(
          {
            subscribe: (handlers, signal) => bus.subscribe(EVENTS_TOPIC, handlers, signal),
            decode: decodeLogEntries,
            readAfter: (after, limit) => log.readAfter(after, limit),
            readHeadId: () => log.readHeadId(),
            idOf: (entry) => entry.id,
          },
          { after: position, signal: stop.signal },
        );
        for await (const entry of stream) dispatch(entry);
      } catch (error) {
        if (stop.signal.aborted) return;
        logger.error({ err: error }, 'event hub lost the log; following it again shortly');
        await Bun.sleep(RESTART_DELAY_MS);
      }
    }
  }

  return {
    /** Starts following the log from its current head, and listening for signals. */
    async start() {
      position = await log.readHeadId();
      void follow();
      // Not awaited, like the log's own subscription: signals resume when the broker is back.
      bus
        .subscribe(
          SIGNALS_TOPIC,
          { onMessage: (message) => dispatchSignal(JSON.parse(message) as LiveSignal) },
          stop.signal,
        )
        .catch((error) => logger.error({ err: error }, 'cannot listen for live signals'));
    },

    /** Sends a live signal to its audience on every instance. Best effort, like the signal itself. */
    async signal(signal: LiveSignal) {
      try {
        await bus.publish(SIGNALS_TOPIC, JSON.stringify(signal));
      } catch (error) {
        logger.warn({ err: error }, 'live signal not sent');
      }
    },

    stop() {
      stop.abort();
    },

    /** Adds a listener for `userId`; it receives entries addressed to them once `joinAll` names their conversations. */
    register(userId: string): Listener & { joinAll(conversationIds: string[]): void } {
      let markClosed = () => {};
      const listener: ListenerState = {
        userId,
        startId: position,
        closed: new Promise<void>((resolve) => {
          markClosed = resolve;
        }),
        queue: [],
        heldSignals: [],
        isOverflowed: false,
        isClosed: false,
        sink: undefined,
        conversations: new Set(),
        forward(sink) {
          if (listener.isOverflowed) {
            listener.isOverflowed = false;
            return 'overflowed';
          }
          const queued = listener.queue;
          listener.queue = [];
          if (listener.isClosed) return queued;
          listener.sink = sink;
          const held = listener.heldSignals;
          listener.heldSignals = [];
          for (const [payload, isDroppable] of held) sink.signal(payload, isDroppable);
          return queued;
        },
        close() {
          listener.isClosed = true;
          listener.sink = undefined;
          listener.heldSignals = [];
          for (const conversationId of [...listener.conversations]) leave(listener, conversationId);
          byUser.get(userId)?.delete(listener);
          if (byUser.get(userId)?.size === 0) byUser.delete(userId);
          markClosed();
        },
      };
      let mine = byUser.get(userId);
      if (!mine) {
        mine = new Set();
        byUser.set(userId, mine);
      }
      mine.add(listener);
      return Object.assign(listener, {
        joinAll(conversationIds: string[]) {
          if (listener.isClosed) return;
          for (const conversationId of conversationIds) join(listener, conversationId);
        },
      });
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
