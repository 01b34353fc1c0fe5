/** What a subscriber is told. */
export interface BusHandlers {
  /** One published payload, in publish order per publisher. */
  onMessage(payload: string): void;
  /**
   * Messages may have been missed (the broker connection dropped and came
   * back). Delivery is at-most-once, so subscribers that must not miss
   * anything re-read the source of truth (Postgres) when this fires.
   */
  onGap?(): void;
}

/**
 * Publish/subscribe by topic, across every instance that shares the broker.
 * Payloads are strings so an event is serialised once, whatever the number
 * of subscribers.
 */
export interface Bus {
  publish(topic: string, payload: string): Promise<void>;
  /**
   * Resolves once the subscription is live: anything published after that
   * reaches `handlers`, until `signal` aborts.
   */
  subscribe(topic: string, handlers: BusHandlers, signal: AbortSignal): Promise<void>;
  /** Throws when the broker cannot be reached. */
  ping(): Promise<void>;
  /**
   * Calls `listener` with true when this process loses the broker (other
   * instances' messages stop arriving; subscribers get `onGap` until it is
   * back) and with false once it is back and subscribed again. Returns the
   * function that stops the calls. Absent from a bus that has no broker to lose.
   */
  watchOutage?(listener: (isInOutage: boolean) => void): () => void;
  close(): Promise<void>;
}
