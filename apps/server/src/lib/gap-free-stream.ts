import type { BusHandlers } from '../platform/bus/index.ts';

export interface GapFreeStreamSource<TEvent> {
  /** Subscribes to live events; resolves once the subscription is live. */
  subscribe(handlers: BusHandlers, signal: AbortSignal): Promise<void>;
  /** Turns a live payload into its events (one payload may carry a whole transaction's). */
  decode(payload: string): readonly TEvent[];
  /** Events with id > `after`, ascending, at most `limit`, from the source of truth. */
  readAfter(after: bigint, limit: number): Promise<TEvent[]>;
  /** The highest id that exists now (0n when there is none). */
  readHeadId(): Promise<bigint>;
  idOf(event: TEvent): bigint;
}

const BACKFILL_PAGE = 100;

/**
 * A live stream over a log with contiguous ids (1, 2, 3, ... committed in
 * order), delivered exactly once and in order, whatever the bus does.
 *
 * It subscribes to the bus *before* reading the database, so nothing
 * committed after the read can slip between the two; events already sent are
 * skipped by id. The bus is at-most-once and may reorder across publishers:
 * a live event whose id is not the next one, or a gap signal from the bus,
 * makes the stream re-read the log from its cursor, which fills the hole.
 *
 * `after` is the last id the consumer has (its resume point); undefined
 * means "only what happens from now on".
 */
export async function* gapFreeStream<TEvent>(
  source: GapFreeStreamSource<TEvent>,
  options: { after: bigint | undefined; signal: AbortSignal },
): AsyncGenerator<TEvent> {
  const { signal } = options;
  let pending: TEvent[] = [];
  let needsCatchUp = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  await source.subscribe(
    {
      onMessage: (payload) => {
        pending.push(...source.decode(payload));
        notify();
      },
      onGap: () => {
        needsCatchUp = true;
        notify();
      },
    },
    signal,
  );
  signal.addEventListener('abort', notify, { once: true });

  let cursor = options.after ?? (await source.readHeadId());

  async function* catchUp(): AsyncGenerator<TEvent> {
    for (;;) {
      const page = await source.readAfter(cursor, BACKFILL_PAGE);
      for (const event of page) {
        cursor = source.idOf(event);
        yield event;
      }
      if (page.length < BACKFILL_PAGE) return;
    }
  }

  if (options.after !== undefined) yield* catchUp();

  while (!signal.aborted) {
    if (pending.length === 0 && !needsCatchUp) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      continue;
    }
    const batch = pending;
    pending = [];
    if (needsCatchUp) {
      needsCatchUp = false;
      yield* catchUp();
    }
    for (const event of batch) {
      const id = source.idOf(event);
      if (id <= cursor) continue; // already delivered (by backfill or an earlier copy)
      if (id === cursor + 1n) {
        cursor = id;
        yield event;
      } else {
        // A hole: something committed before this event has not reached us
        // (yet, or at all). The log has it, and this event too.
        yield* catchUp();
      }
    }
  }
}
