import type { Reaction } from '@gopherchat/api';
import { For } from 'solid-js';
import { SmileyIcon } from '../../lib/ui/smiley-icon.tsx';
import { reactorsInWords } from './reactors.ts';

/**
 * The reactions under a message: each emoji with its count, mine
 * highlighted; a tap adds mine or takes it back. Who reacted shows on hover
 * (and long press, which shows the title on touch screens) and is read out.
 * The last button picks another emoji. Shown once there is a reaction.
 */
export function ReactionBar(props: {
  reactions: readonly Reaction[];
  myId: string;
  isMine: boolean;
  nameOf: (userId: string) => string;
  onToggle: (emoji: string) => void;
  onPickMore: (anchor: HTMLElement) => void;
}) {
  return (
    <ul class={`mt-1 flex flex-wrap gap-1 ${props.isMine ? 'justify-end' : ''}`} aria-label="Reactions">
      <For each={props.reactions}>
        {(reaction) => {
          const isMineToo = () => reaction.userIds.includes(props.myId);
          const who = () => reactorsInWords(reaction.userIds, props.myId, props.nameOf);
          return (
            <li>
              <button
                type="button"
                class={`flex h-7 items-center gap-1 rounded-full border px-2 text-sm leading-none tabular-nums ${
                  isMineToo()
                    ? 'border-accent bg-accent-soft text-accent-fg'
                    : 'border-line bg-surface-raised text-fg-muted hover:border-line-strong'
                }`}
                aria-pressed={isMineToo()}
                aria-label={`${reaction.emoji} ${reaction.userIds.length}: ${who()}`}
                title={`${who()} reacted with ${reaction.emoji}`}
                data-testid="reaction"
                onClick={() => props.onToggle(reaction.emoji)}
              >
                <span class="text-base">{reaction.emoji}</span>
                <span>{reaction.userIds.length}</span>
              </button>
            </li>
          );
        }}
      </For>
      <li>
        <button
          type="button"
          class="flex h-7 items-center gap-0.5 rounded-full border border-line bg-surface-raised px-2 text-xs text-fg-muted hover:border-line-strong hover:text-fg"
          aria-label="Add a reaction"
          title="Add a reaction"
          onClick={(event) => props.onPickMore(event.currentTarget)}
        >
          <SmileyIcon class="h-4 w-4" />
          <span aria-hidden="true">+</span>
        </button>
      </li>
    </ul>
  );
}
