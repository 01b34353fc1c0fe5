import { MESSAGE_TEXT_MAX_LENGTH } from '@gopherchat/api';
import { createEffect, on } from 'solid-js';

/** Drafts per conversation, kept while the tab lives: switching conversations keeps what was typed. */
const drafts = new Map<string, string>();

/**
 * Where messages are written: Enter sends, Shift+Enter starts a new line.
 * Sending never waits for the network: the outbox takes the message at once.
 */
export function Composer(props: { conversationId: string; onSend: (text: string) => void }) {
  let field: HTMLTextAreaElement | undefined;

  const fit = () => {
    if (!field) return;
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, 160)}px`;
  };

  createEffect(
    on(
      () => props.conversationId,
      (conversationId) => {
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
