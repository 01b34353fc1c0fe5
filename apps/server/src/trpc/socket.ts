import type { ServerWebSocket } from 'bun';

type Listener = (...args: never[]) => void;

/** Items per frame at most: a frame stays small enough not to hold up the socket. */
const ITEMS_PER_FRAME_MAX = 100;

/**
 * A socket that wrote data less than this long ago holds its next data frames
 * for a shared tick, so a busy subscriber gets several events per frame: one
 * write, one read and one parse instead of one each per event. A quiet one is
 * written to at the end of the turn as before, so this costs latency only
 * where a socket gets events closer together than this. At 1 000 msg/s in
 * rooms of 50 it cut the server's CPU by about 8% and the receiving clients'
 * by about 20% (docs/decisions/0012-pace-busy-sockets-at-20-ms.md).
 */
const PACE_MS = 20;

/** The time and the two moments frames are written at; a test stops the clock and runs the tick itself. */
export interface FlushTiming {
  now(): number;
  /** Runs `flush` once the current event-loop turn is over. */
  afterTurn(flush: () => void): void;
  /** Runs `flush` PACE_MS from now: the shared tick. */
  afterTick(flush: () => void): void;
}

const realTiming: FlushTiming = {
  now: () => performance.now(),
  afterTurn: (flush) => setImmediate(flush),
  afterTick: (flush) => setTimeout(flush, PACE_MS),
};

/**
 * The sockets with frames waiting, for the end of this event-loop turn or for
 * the shared tick: one callback and one timer however many sockets wait.
 */
export class FlushScheduler {
  private readonly atTurnEnd = new Set<TrpcSocket>();
  /** Sockets that wrote less than PACE_MS ago, with data frames waiting for the tick. */
  private readonly atTick = new Set<TrpcSocket>();
  private readonly flushTurnEnd = () => flushAll(this.atTurnEnd);
  private readonly flushTick = () => flushAll(this.atTick);

  constructor(readonly timing: FlushTiming = realTiming) {}

  add(socket: TrpcSocket, isOnTick: boolean) {
    const sockets = isOnTick ? this.atTick : this.atTurnEnd;
    if (sockets.size === 0) {
      if (isOnTick) this.timing.afterTick(this.flushTick);
      else this.timing.afterTurn(this.flushTurnEnd);
    }
    sockets.add(socket);
  }
}

function flushAll(sockets: Set<TrpcSocket>) {
  for (const socket of sockets) socket.flush();
  sockets.clear();
}

/** The process's sockets share one tick. */
const sharedScheduler = new FlushScheduler();

/**
 * A subscription's data frames, written by the server itself in tRPC's wire
 * format instead of going item by item through tRPC's subscription loop
 * (an iterator race, object spreads and a JSON encoding per item, which cost
 * several times what the write does once a few thousand frames a second flow).
 */
export interface TrackedChannel {
  /** Aborts when the subscription stops (the client stopped it, or the socket closed). */
  readonly signal: AbortSignal;
  /**
   * Queues one item, already JSON. Items queued in one event-loop turn leave
   * as one data frame: their JSON array, tracked by the last item's id, so a
   * client resuming from that id skips exactly what the frame held. Ignored
   * once the subscription has stopped, and a droppable item also while the
   * socket's send buffer is over half full: it goes first under congestion.
   */
  push(id: string, itemJson: string, isDroppable?: boolean): void;
  /** Resolves once what is queued has been written and the send buffer has room again (or the socket closed). */
  writable(): Promise<void>;
}

/** Consecutive items of one channel, still open for more in this turn. */
interface TrackedFrame {
  /** `{"id":<request id>,…,"result":{"type":"data","id":` */
  head: string;
  lastId: string;
  items: string[];
}

/**
 * The slice of the `ws` package's socket that tRPC's connection handler
 * uses, over a Bun ServerWebSocket. Bun hands us raw frames, so nothing is
 * parsed twice, and its backpressure signals stay within reach.
 *
 * Frames are written at the end of the event-loop turn, corked: everything
 * a socket was given in one turn leaves in one write. A loopback write costs
 * about as much as building the frame, so under load (when several events
 * for one socket pile up in a turn) this is what keeps the server ahead.
 * Subscription data to a socket that wrote within PACE_MS waits for the
 * shared tick instead, so that it piles up on purpose.
 */
export class TrpcSocket {
  readyState: 0 | 1 | 2 | 3 = 1;
  private readonly listeners = new Map<string, Array<{ fn: Listener; once: boolean }>>();
  private pending: Array<string | Uint8Array | TrackedFrame> = [];
  private drainWaiters: Array<() => void> = [];
  private lastFlushAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly raw: ServerWebSocket<unknown>,
    private readonly sendBufferLimit: number,
    private readonly onTooSlow: () => void,
    private readonly scheduler: FlushScheduler = sharedScheduler,
  ) {}

  send(data: string | Uint8Array) {
    if (this.readyState !== 1) return;
    this.pending.push(data);
    this.flushSoon(false);
  }

  /** A channel for the data of the subscription `request` started; it goes quiet once `signal` aborts. */
  trackedChannel(request: { id: number | string; jsonrpc?: '2.0' }, signal: AbortSignal): TrackedChannel {
    const head = `{"id":${JSON.stringify(request.id)},${request.jsonrpc ? '"jsonrpc":"2.0",' : ''}"result":{"type":"data","id":`;
    let open: TrackedFrame | undefined;
    return {
      push: (id, itemJson, isDroppable) => {
        if (this.readyState !== 1 || signal.aborted) return;
        if (isDroppable && this.isCongested()) return;
        // Still the last thing queued, so appending keeps the socket's frame order.
        if (open && this.pending.at(-1) === open && open.items.length < ITEMS_PER_FRAME_MAX) {
          open.items.push(itemJson);
          open.lastId = id;
          return;
        }
        open = { head, lastId: id, items: [itemJson] };
        this.pending.push(open);
        this.flushSoon(true);
      },
      writable: () => this.writable(),
      signal,
    };
  }

  /** `isPaced`: subscription data, which may wait for the tick; tRPC's own answers never do. */
  private flushSoon(isPaced: boolean) {
    this.scheduler.add(this, isPaced && this.scheduler.timing.now() - this.lastFlushAt < PACE_MS);
  }

  private isCongested() {
    return this.raw.getBufferedAmount() > this.sendBufferLimit / 2;
  }

  private async writable() {
    await new Promise((resolve) => setImmediate(resolve));
    // Frames held for the tick: a writer waiting for room (a replay) needs them written to see the real backlog.
    this.flush();
    while (this.readyState === 1 && this.isCongested()) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  /** Bun's `drain`: the send buffer emptied. */
  drained() {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Writes the waiting frames, unless this client has stopped keeping up:
   * once more than `sendBufferLimit` bytes wait in its buffer, it is
   * disconnected rather than left to grow the server's memory. Nothing is
   * silently dropped: the client reconnects and resumes from its last event id.
   */
  flush() {
    const frames = this.pending;
    this.pending = [];
    if (this.readyState !== 1 || frames.length === 0) return;
    this.lastFlushAt = this.scheduler.timing.now();
    let isTooSlow = false;
    const writeAll = () => {
      for (const frame of frames) {
        if (this.raw.getBufferedAmount() > this.sendBufferLimit || this.raw.send(render(frame)) === 0) {
          isTooSlow = true;
          return;
        }
      }
    };
    // Corking a single frame saves no write, and its callback round trip cost about 4% of the server’s CPU under fan-out (docs/decisions/0009-no-cork-for-a-single-frame.md).
    if (frames.length === 1) writeAll();
    else this.raw.cork(writeAll);
    if (isTooSlow) {
      this.onTooSlow();
      // Not a close handshake: its frame would wait behind the data the client is not reading.
      this.terminate();
    }
  }

  close(code?: number, reason?: string) {
    if (this.readyState >= 2) return;
    this.flush();
    if (this.readyState >= 2) return; // the flush found it too slow
    this.readyState = 2;
    this.raw.close(code, reason);
    this.drained();
  }

  terminate() {
    if (this.readyState >= 2) return;
    this.readyState = 2;
    this.raw.terminate();
    this.drained();
  }

  /** Bun's `close`: the connection is gone. */
  closed(code: number, reason: string) {
    this.readyState = 3;
    this.drained();
    this.emit('close', code, reason);
  }

  on(event: string, fn: Listener) {
    return this.addListener(event, fn, false);
  }

  once(event: string, fn: Listener) {
    return this.addListener(event, fn, true);
  }

  private addListener(event: string, fn: Listener, once: boolean) {
    const list = this.listeners.get(event) ?? [];
    list.push({ fn, once });
    this.listeners.set(event, list);
    return this;
  }

  emit(event: string, ...args: unknown[]) {
    const list = this.listeners.get(event);
    if (!list) return;
    this.listeners.set(
      event,
      list.filter((entry) => !entry.once),
    );
    for (const entry of list) (entry.fn as (...a: unknown[]) => void)(...args);
  }
}

function render(frame: string | Uint8Array | TrackedFrame): string | Uint8Array {
  if (typeof frame === 'string' || frame instanceof Uint8Array) return frame;
  const id = JSON.stringify(frame.lastId);
  return `${frame.head}${id},"data":{"id":${id},"data":[${frame.items.join(',')}]}}}`;
}
