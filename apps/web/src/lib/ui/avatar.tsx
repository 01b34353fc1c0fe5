import { avatarPath } from '@gopherchat/api';
import { Show } from 'solid-js';

/** Up to two letters standing for a person where there is no picture: "Ada Lovelace" → "AL". */
export function initialsOf(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [words[0]];
  return letters
    .map((word) => [...(word ?? '')][0] ?? '')
    .join('')
    .toUpperCase();
}

/**
 * Someone's profile picture, round, or their initials where they have none.
 * Decorative (their name is always beside it): screen readers skip it.
 * `class` sets the size and, for initials, the colours.
 */
export function Avatar(props: { name: string; avatarKey: string | null | undefined; class: string }) {
  return (
    <Show
      when={props.avatarKey}
      fallback={
        <span
          class={`flex flex-none items-center justify-center rounded-full font-semibold ${props.class}`}
          aria-hidden="true"
          data-testid="avatar-initials"
        >
          {initialsOf(props.name)}
        </span>
      }
    >
      {(avatarKey) => (
        <img
          src={avatarPath(avatarKey())}
          alt=""
          class={`flex-none rounded-full object-cover ${props.class}`}
          data-testid="avatar"
          loading="lazy"
        />
      )}
    </Show>
  );
}
