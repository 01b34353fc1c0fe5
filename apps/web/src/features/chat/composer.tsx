import { ATTACHMENT_CAPTION_MAX_LENGTH, TYPING_RENEW_MS } from '@gopherchat/api';
import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import { SmileyIcon } from '../../lib/ui/smiley-icon.tsx';
import { AttachButton } from '../attachments/attach-button.tsx';
import { pastedFiles } from '../attachments/picked-files.ts';
import { inSkinTone } from '../emoji/emoji-index.ts';
import type { EmojiRequest } from '../emoji/emoji-popover.tsx';
import type { EmojiPrefs } from '../emoji/emoji-prefs.ts';
import { loadEmojiIndex } from '../emoji/load-emoji.ts';
import { createShortcodeCompletion } from '../emoji/shortcode-completion.tsx';
import type { DraftStore } from './drafts.ts';
import { createMentionCompletion } from './mention-completion.tsx';
import type { MentionCandidate } from './mention-token.ts';
import { messageLength } from './message-length.ts';
import { excerpt } from './timeline.ts';
import { createTypingSignals } from './typing.ts';

/** What the composer does besides writing a new message: answering one, or changing one of mine. */
export type ComposerTarget =
  | {
      kind: 'reply';
      seq: number;
      authorName: string;
      /** What it says, as plain text (`wordsOf`). */
      words: string;
    }
  | { kind: 'edit'; seq: number; text: string };

/** ↑ alone: with Alt it switches conversations (see lib/shortcuts.ts), with Shift it selects. */
const isPlainArrowUp = (event: KeyboardEvent) =>
  event.key === 'ArrowUp' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;

const describeTarget = (target: ComposerTarget) =>
  target.kind === 'edit'
    ? 'Editing your message (Enter saves, Escape cancels)'
    : `Replying to ${target.authorName}: ${excerpt(target.words)}`;

/**
 * Where messages are written: Enter sends, Shift+Enter starts a new line.
 * Sending never waits for the network: the outbox takes the message at once.
 * Writing tells the others "typing"; emptying the field, sending or leaving
 * the conversation tells them it stopped.
 *
 * With a target it replies (a banner says to what) or edits: the message's
 * text takes the field's place, Enter saves, Escape cancels, and the draft
 * comes back afterwards. Editing is not announced as typing.
 *
 * Files are attached with the paperclip or pasted, through a step that
 * shows them before they go; what was being written becomes their caption.
 *
 * Nothing written is ever cut: near the limit a counter shows, and over it
 * the message cannot be sent until it is shortened, or it goes as a text
 * file.
 */
export function Composer(props: {
  conversationId: string;
  target: ComposerTarget | undefined;
  /** What was written here and not sent, per conversation: kept on switching, and across reloads. */
  drafts: DraftStore;
  onSend: (text: string, replyToSeq?: number) => void;
  onEdit: (seq: number, text: string) => void;
  /** Sends files at once: a text too long for a message, as a file. */
  onAttach: (files: File[], caption: string | undefined) => void;
  /** Shows picked files before they go, with `caption` to send with them; `taken` empties the field once they do. */
  onPickFiles: (files: File[], caption: string, taken: (() => void) | undefined) => void;
  /** The reply was sent, the edit saved, or either cancelled. */
  onTargetDone: () => void;
  onTyping: (conversationId: string, isTyping: boolean) => void;
  /** ↑ in the empty field: edit my last message, if there is one to edit. */
  onEditLast: () => void;
  /** Emoji from the picker (the smiley button) and `:shortcode` completion. */
  emoji: { prefs: EmojiPrefs; pick: (request: EmojiRequest) => void };
  /** `@name` completion: who can be mentioned here, whether `@all` and `@here` can, and people's pictures. */
  mentions: {
    people: () => readonly MentionCandidate[];
    isGroup: () => boolean;
    avatarOf: (userId: string) => string | null | undefined;
  };
}) {
  let field: HTMLTextAreaElement | undefined;
  const [draft, setDraft] = createSignal('');
  const length = () => messageLength(draft());
  const typing = createTypingSignals({
    send: (conversationId, isTyping) => props.onTyping(conversationId, isTyping),
    now: Date.now,
    renewMs: TYPING_RENEW_MS,
  });
  onCleanup(typing.stop);

  const isEditing = () => props.target?.kind === 'edit';

  const fit = () => {
    if (!field) return;
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, 160)}px`;
  };

  const showInField = (text: string) => {
    if (!field) return;
    field.value = text;
    setDraft(text);
    fit();
    field.focus();
  };

  createEffect(
    on(
      () => props.conversationId,
      (conversationId) => {
        typing.stop();
        showInField(props.drafts.of(conversationId));
      },
    ),
  );

  createEffect(
    on(
      () => props.target,
      (target, previous) => {
        if (target?.kind === 'edit') {
          typing.stop();
          showInField(target.text);
        } else if (previous?.kind === 'edit') showInField(props.drafts.of(props.conversationId));
        else field?.focus();
      },
      { defer: true },
    ),
  );

  /** The field's text changed (typed, or an emoji put in): it fits, is kept as the draft, and tells of typing. */
  const changed = () => {
    if (!field) return;
    fit();
    setDraft(field.value);
    if (isEditing()) return;
    props.drafts.keep(props.conversationId, field.value);
    typing.changed(props.conversationId, field.value);
  };

  /** Puts `text` between `start` and `end` of the field, the caret after it. */
  const insert = (start: number, end: number, text: string) => {
    if (!field) return;
    field.setRangeText(text, start, end, 'end');
    field.focus();
    changed();
  };

  const shortcodes = createShortcodeCompletion({
    id: 'composer',
    load: loadEmojiIndex,
    replace: (start, end, emoji) => {
      props.emoji.prefs.noteUsed(emoji);
      insert(start, end, emoji);
    },
    shown: (emoji) => inSkinTone(emoji, props.emoji.prefs.skinTone()),
  });
  const mentions = createMentionCompletion({ id: 'composer', ...props.mentions, replace: insert });
  // One word is before the caret at a time: at most one of the two lists is open.
  const completions = [shortcodes, mentions];

  /** What was written went out: the field starts afresh, and the others hear that typing stopped. */
  const clear = () => {
    if (!field) return;
    typing.stop();
    field.value = '';
    setDraft('');
    props.drafts.keep(props.conversationId, '');
    fit();
  };

  const submit = () => {
    if (!field) return;
    const text = field.value.trim();
    const { target } = props;
    if (length().isOver) return;
    if (target?.kind === 'edit') {
      if (text === '') return;
      if (text !== target.text) props.onEdit(target.seq, text);
      props.onTargetDone();
      return;
    }
    if (text === '') return;
    props.onSend(text, target?.seq);
    clear();
    if (target) props.onTargetDone();
  };

  /** Too long for a message: the text goes whole, as a file of its own. */
  const sendAsFile = () => {
    if (!field || isEditing()) return;
    props.onAttach([new File([field.value.trim()], 'message.txt', { type: 'text/plain' })], undefined);
    clear();
  };

  const attach = (files: File[]) => {
    if (!field || isEditing()) return;
    const text = field.value.trim();
    // Too long for a caption, the text stays to be sent as a message of its own.
    const isCaption = text !== '' && text.length <= ATTACHMENT_CAPTION_MAX_LENGTH;
    props.onPickFiles(files, isCaption ? text : '', isCaption ? clear : undefined);
  };

  return (
    <form
      class="border-t border-line p-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Show when={props.target}>
        {(target) => (
          <div
            class="mb-2 flex items-center gap-2 border-l-2 border-accent pl-2 text-xs text-fg-muted"
            data-testid="composer-target"
          >
            <p class="min-w-0 flex-1 truncate">{describeTarget(target())}</p>
            <button
              type="button"
              class="btn px-2 py-1 text-xs hover:bg-surface-sunken"
              onClick={() => props.onTargetDone()}
            >
              {isEditing() ? 'Cancel edit' : 'Cancel reply'}
            </button>
          </div>
        )}
      </Show>
      <div class="relative flex items-end gap-2">
        <shortcodes.List />
        <mentions.List />
        <AttachButton onFiles={attach} disabled={isEditing()} />
        <button
          type="button"
          class="btn flex-none px-2.5 text-fg-muted hover:bg-surface-sunken hover:text-fg"
          aria-label="Insert emoji"
          title="Insert emoji"
          onClick={(event) => {
            const caret = { start: field?.selectionStart ?? 0, end: field?.selectionEnd ?? 0 };
            props.emoji.pick({
              label: 'Insert emoji',
              anchor: event.currentTarget,
              onPick: (emoji) => insert(caret.start, caret.end, emoji),
            });
          }}
        >
          <SmileyIcon />
        </button>
        <textarea
          ref={field}
          id="message-field"
          rows={1}
          class="field max-h-40 resize-none"
          aria-invalid={length().isOver}
          aria-describedby="composer-length"
          placeholder="Write a message"
          aria-label="Message"
          aria-autocomplete="list"
          {...(mentions.isOpen() ? mentions.fieldProps() : shortcodes.fieldProps())}
          onInput={(event) => {
            changed();
            for (const completion of completions) {
              completion.update(event.currentTarget.value, event.currentTarget.selectionStart);
            }
          }}
          onBlur={() => {
            for (const completion of completions) completion.close();
          }}
          onPaste={(event) => {
            const files = pastedFiles(event.clipboardData);
            if (files.length === 0 || isEditing()) return;
            event.preventDefault();
            attach(files);
          }}
          onKeyDown={(event) => {
            if (completions.some((completion) => completion.handleKey(event))) return;
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
              event.preventDefault();
              submit();
            } else if (isPlainArrowUp(event) && event.currentTarget.value === '' && !props.target) {
              event.preventDefault();
              props.onEditLast();
            } else if (event.key === 'Escape' && props.target) {
              event.preventDefault();
              props.onTargetDone();
            }
          }}
        />
        <button type="submit" class="btn-primary" disabled={length().isOver}>
          {isEditing() ? 'Save' : 'Send'}
        </button>
      </div>
      <div id="composer-length" class="flex items-start gap-2 text-xs" aria-live="polite">
        <Show when={length().problem}>
          {(problem) => (
            <p class="mt-2 min-w-0 flex-1 text-danger" data-testid="composer-too-long">
              {problem()}
            </p>
          )}
        </Show>
        <Show when={length().isOver && !isEditing()}>
          <button type="button" class="btn mt-1 flex-none border border-line px-2 py-1 text-xs" onClick={sendAsFile}>
            Send as a file
          </button>
        </Show>
        <Show when={length().counter}>
          {(counter) => (
            <span
              class="mt-2 ml-auto flex-none tabular-nums"
              classList={{ 'text-danger': length().isOver, 'text-fg-muted': !length().isOver }}
              data-testid="composer-counter"
            >
              {counter()}
            </span>
          )}
        </Show>
      </div>
    </form>
  );
}
