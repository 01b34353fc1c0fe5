import type { LinkPreview } from '@gopherchat/api';
import { Show } from 'solid-js';

/**
 * The card under a message for its first link: the site, the page's title
 * (a link to it) and the start of its description. Text only: the page's
 * image would be loaded from a third party, telling it who reads the
 * conversation. Its sender can remove it.
 */
export function LinkPreviewCard(props: { preview: LinkPreview; isMine: boolean; onRemove: () => void }) {
  return (
    <div
      class="mt-1 flex max-w-sm min-w-0 gap-2 rounded-xl border border-line border-l-4 border-l-accent bg-surface-raised px-3 py-2 text-sm"
      data-testid="link-preview"
    >
      <div class="min-w-0 flex-1">
        <Show when={props.preview.siteName}>
          {(siteName) => <p class="truncate text-xs text-fg-muted">{siteName()}</p>}
        </Show>
        <a
          href={props.preview.url}
          target="_blank"
          rel="noopener noreferrer nofollow"
          class="line-clamp-2 font-semibold text-accent-fg hover:underline"
        >
          {props.preview.title}
        </a>
        <Show when={props.preview.description}>
          {(description) => <p class="line-clamp-3 text-xs text-fg-muted">{description()}</p>}
        </Show>
      </div>
      <Show when={props.isMine}>
        <button
          type="button"
          class="-mr-1 h-7 w-7 flex flex-none items-center justify-center rounded-lg text-fg-muted hover:bg-surface-sunken"
          aria-label="Remove the link preview"
          title="Remove the link preview"
          onClick={() => props.onRemove()}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </Show>
    </div>
  );
}
