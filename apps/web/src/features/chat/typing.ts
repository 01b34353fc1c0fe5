/** Who is typing in one conversation: user id → when to stop showing it (ms since the epoch). */
export type Typists = Record<string, number>;

/** The typists after a signal from `userId`: shown for `shownMs` from `now` (renewed by the next), or gone at once. */
export function withSignal(
  typists: Typists,
  signal: { userId: string; isTyping: boolean },
  now: number,
  shownMs: number,
): Typists {
  const { [signal.userId]: _, ...others } = typists;
  return signal.isTyping ? { ...others, [signal.userId]: now + shownMs } : others;
}

/** The typists whose signal has not run out by `now`. */
export function stillTyping(typists: Typists, now: number): Typists {
  return Object.fromEntries(Object.entries(typists).filter(([, until]) => until > now));
}

/** "Ada is typing…", "Ada and Bob are typing…", "Several people are typing…"; undefined for nobody. */
export function describeTypists(names: readonly string[]): string | undefined {
  const [first, second] = names;
  if (first === undefined) return undefined;
  if (second === undefined) return `${first} is typing…`;
  if (names.length === 2) return `${first} and ${second} are typing…`;
  return 'Several people are typing…';
}

/**
 * The typing signals one composer sends: "typing" when text is written, again
 * at most every `renewMs` while writing goes on (others stop showing it a
 * while after the last); "stopped" when the field is emptied, the message is
 * sent, or the writer leaves the conversation, but only if "typing" was said.
 */
export function createTypingSignals(deps: {
  send(conversationId: string, isTyping: boolean): void;
  now(): number;
  renewMs: number;
}) {
  let signalled: { conversationId: string; at: number } | undefined;

  function stop() {
    if (!signalled) return;
    deps.send(signalled.conversationId, false);
    signalled = undefined;
  }

  return {
    /** The field of `conversationId` now holds `text`. */
    changed(conversationId: string, text: string) {
      if (signalled && signalled.conversationId !== conversationId) stop();
      if (text.trim() === '') return stop();
      const now = deps.now();
      if (signalled && now - signalled.at < deps.renewMs) return;
      signalled = { conversationId, at: now };
      deps.send(conversationId, true);
    },
    stop,
  };
}
