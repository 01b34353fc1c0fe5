import type { Message } from '@gopherchat/api';
import { createEffect, createSignal, on } from 'solid-js';
import { messageAt } from './timeline.ts';

/**
 * A message sought, by its address or from a reply's quote, is shown in
 * context: when it is not loaded, the messages around it are, in place of
 * those loaded (however far back it is), then it is shown. Until it is
 * there, each change to the loaded messages looks again; so does a change
 * that took it away (the last visit's copy, in which it was shown, replaced
 * by the server's newest page). Each seeking is an object of its own: a
 * quote followed twice is shown twice.
 */
export function createMessageSeeking(deps: {
  conversationId: () => string;
  /** The message the address names. */
  linkedSeq: () => number | undefined;
  messages: () => readonly Message[];
  /** Whether a message can be shown now (the conversation placed, no window loading); tracked. */
  isSettled: () => boolean;
  openAround: (seq: number) => void;
  show: (seq: number) => void;
}) {
  const [sought, setSought] = createSignal<{ seq: number }>();
  createEffect(
    on([deps.conversationId, deps.linkedSeq], ([, seq]) => setSought(seq === undefined ? undefined : { seq })),
  );
  let seeking: { target: { seq: number }; isShown: boolean; isAskedFor: boolean } | undefined;
  createEffect(
    on([sought, deps.isSettled, deps.messages], ([target, isSettled, messages]) => {
      if (target === undefined || !isSettled) return;
      if (seeking?.target !== target) seeking = { target, isShown: false, isAskedFor: false };
      if (messageAt(messages, target.seq) === undefined) {
        seeking.isShown = false;
        // Asked for once: a message that is not there (deleted for good, or never was) is not asked for again.
        if (!seeking.isAskedFor) {
          seeking.isAskedFor = true;
          deps.openAround(target.seq);
        }
        return;
      }
      if (seeking.isShown) return;
      seeking.isShown = true;
      deps.show(target.seq);
    }),
  );
  return {
    /** Shows the message at `seq`, loading the messages around it first if need be. */
    seek: (seq: number) => setSought({ seq }),
  };
}
