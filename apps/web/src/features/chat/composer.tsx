import { MESSAGE_TEXT_MAX_LENGTH, TYPING_RENEW_MS } from '@gopherchat/api';
import { createEffect, on, onCleanup } from 'solid-js';
import { createTypingSignals } from './typing.ts';

/** Drafts per conversation, kept while the tab lives: switching conversations keeps what was typed. */
const drafts = new Map<string, string>();

/**
 * Where messages are written: Enter sends, Shift+Enter starts a new line.
 * Sending never waits for the network: the outbox takes the message at once.
 * Writing tells the others "typing"; emptying the field, sending or leaving
 * the conversation tells them it stopped.
 */
export function Composer(props: {
  conversationId: string;
  onSend: (text: string) => void;
  onTyping: (conversationId: string, isTyping: boolean) => void;
}) {
  let field: HTMLTextAreaElement | undefined;
  const typing = createTypingSignals({
    send: (conversationId, isTyping) => props.onTyping(conversationId, isTyping),
    now: Date.now,
    renewMs: TYPING_RENEW_MS,
  });
  onCleanup(typing.stop);

  const fit = () => {
    if (!field) return;
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, 160)}px`;
  };

  createEffect(
    on(
      () => props.conversationId,
      (conversationId) => {
        typing.stop();
        if (!field) return;
        field.value = drafts.get(conversationId) ?? '';
        fit();
        field.focus();
      },
    ),
  );

  const send = () => {
    if (!field) return;
    const text = field.value.trim();
    if (text === '') return;
    props.onSend(text);
    typing.stop();
    field.value = '';
    drafts.delete(props.conversationId);
    fit();
  };

  return (
    <form
      class="flex items-end gap-2 border-t border-slate-200 p-3 dark:border-slate-800"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        ref={field}
        rows={1}
        maxLength={MESSAGE_TEXT_MAX_LENGTH}
        class="field max-h-40 resize-none"
        placeholder="Write a message"
        aria-label="Message"
        onInput={(event) => {
          drafts.set(props.conversationId, event.currentTarget.value);
          typing.changed(props.conversationId, event.currentTarget.value);
          fit();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            event.preventDefault();
            send();
          }
        }}
      />
      <button type="submit" class="btn-primary">
        Send
      </button>
    </form>
  );
}
