import { createMemo, createResource, createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { EMOJI_GROUPS, type Emoji, inSkinTone, type SkinTone } from './emoji-index.ts';
import type { EmojiPrefs } from './emoji-prefs.ts';
import { loadEmojiIndex } from './load-emoji.ts';

/** Columns of the grid, which arrow keys move across. */
const COLUMNS = 8;
const RECENT = -1;
const SKIN_TONES: { tone: SkinTone; label: string }[] = [
  { tone: 0, label: 'Default skin tone' },
  { tone: 1, label: 'Light skin tone' },
  { tone: 2, label: 'Medium-light skin tone' },
  { tone: 3, label: 'Medium skin tone' },
  { tone: 4, label: 'Medium-dark skin tone' },
  { tone: 5, label: 'Dark skin tone' },
];
const HANDS = ['✋', '✋🏻', '✋🏼', '✋🏽', '✋🏾', '✋🏿'];

interface Shown {
  emoji: string;
  name: string;
  shortcode: string | undefined;
}

/** Moves focus within the grid of emoji buttons: by one across, by a row up and down, to either end. */
function moveInGrid(event: KeyboardEvent & { currentTarget: HTMLElement }) {
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const steps: Record<string, number> = {
    ArrowRight: 1,
    ArrowLeft: -1,
    ArrowDown: COLUMNS,
    ArrowUp: -COLUMNS,
    Home: -at,
    End: buttons.length - 1 - at,
  };
  const step = steps[event.key];
  if (step === undefined || at < 0) return;
  event.preventDefault();
  buttons[Math.min(buttons.length - 1, Math.max(0, at + step))]?.focus();
}

/**
 * Picks one emoji: searched by name, shortcode or tag as it is typed, or
 * browsed by category, with recently used ones first and a skin tone that is
 * remembered. Drawn here rather than taken from emoji-picker-element, whose
 * shadow-root <style> and style attributes the app's Content-Security-Policy
 * (no inline styles) refuses; the data is the same (Emojibase). Loaded, with
 * its data, only when first opened.
 */
export default function EmojiPicker(props: { label: string; prefs: EmojiPrefs; onPick: (emoji: string) => void }) {
  let search: HTMLInputElement | undefined;
  const [index, { refetch }] = createResource(loadEmojiIndex);
  const [query, setQuery] = createSignal('');
  const [group, setGroup] = createSignal<number>(RECENT);
  onMount(() => search?.focus());

  /** What the grid shows: each emoji as it is picked (in my skin tone; recent ones as used), with its name. */
  const shown = createMemo((): Shown[] => {
    const loaded = index();
    if (!loaded) return [];
    const tone = props.prefs.skinTone();
    const inMyTone = (emoji: Emoji): Shown => ({
      emoji: inSkinTone(emoji, tone),
      name: emoji.name,
      shortcode: emoji.shortcodes[0],
    });
    if (query().trim() !== '') return loaded.search(query()).map(inMyTone);
    if (group() !== RECENT) return loaded.inGroup(group()).map(inMyTone);
    return props.prefs.recent().map((used) => {
      const known = loaded.byEmoji(used);
      return { emoji: used, name: known?.name ?? used, shortcode: known?.shortcodes[0] };
    });
  });

  const pick = (emoji: string) => {
    props.prefs.noteUsed(emoji);
    props.onPick(emoji);
  };

  const tabClass = (isCurrent: boolean) =>
    `h-8 w-8 flex-none rounded-lg text-lg leading-none hover:bg-surface-sunken ${isCurrent ? 'bg-accent-soft' : ''}`;

  return (
    <section
      class="flex h-96 max-h-[70dvh] w-full flex-col rounded-2xl border border-line bg-surface-raised shadow-xl sm:w-80"
      aria-label={props.label}
      data-testid="emoji-picker"
    >
      <div class="flex items-center gap-2 border-b border-line p-2">
        <input
          ref={search}
          type="search"
          class="field min-w-0 flex-1 py-1.5 text-sm"
          placeholder="Search emoji"
          aria-label="Search emoji"
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            const first = shown()[0];
            if (event.key === 'Enter' && first !== undefined) {
              event.preventDefault();
              pick(first.emoji);
            }
          }}
        />
        <select
          class="field w-auto flex-none px-1 py-1 text-lg"
          aria-label="Skin tone"
          value={props.prefs.skinTone()}
          onChange={(event) => props.prefs.setSkinTone(Number(event.currentTarget.value) as SkinTone)}
        >
          <For each={SKIN_TONES}>
            {({ tone, label }) => (
              <option value={tone} aria-label={label}>
                {HANDS[tone]}
              </option>
            )}
          </For>
        </select>
      </div>
      <Show when={query().trim() === ''}>
        <nav class="flex gap-0.5 overflow-x-auto border-b border-line px-1 py-1" aria-label="Emoji categories">
          <button
            type="button"
            class={tabClass(group() === RECENT)}
            aria-label="Recently used"
            aria-pressed={group() === RECENT}
            onClick={() => setGroup(RECENT)}
          >
            🕘
          </button>
          <For each={EMOJI_GROUPS}>
            {(tab) => (
              <button
                type="button"
                class={tabClass(group() === tab.group)}
                aria-label={tab.label}
                aria-pressed={group() === tab.group}
                onClick={() => setGroup(tab.group)}
              >
                {tab.icon}
              </button>
            )}
          </For>
        </nav>
      </Show>
      <div class="min-h-0 flex-1 overflow-y-auto p-1.5">
        <Switch>
          <Match when={index.error}>
            <div class="p-3 text-sm" role="alert">
              <p>Emoji could not be loaded. Check the connection and try again.</p>
              <button type="button" class="btn mt-2 border border-line px-3 py-1 text-sm" onClick={() => refetch()}>
                Try again
              </button>
            </div>
          </Match>
          <Match when={index.loading}>
            <p class="p-3 text-sm text-fg-muted" role="status">
              Loading emoji…
            </p>
          </Match>
          <Match when={shown().length === 0}>
            <p class="p-3 text-sm text-fg-muted" role="status">
              No emoji found
            </p>
          </Match>
          <Match when={shown().length > 0}>
            <fieldset class="grid grid-cols-8 gap-0.5" onKeyDown={moveInGrid} aria-label="Emoji">
              <For each={shown()}>
                {(item) => (
                  <button
                    type="button"
                    class="aspect-square rounded-lg text-2xl leading-none hover:bg-surface-sunken focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
                    aria-label={item.name}
                    title={item.shortcode ? `:${item.shortcode}:` : item.name}
                    onClick={() => pick(item.emoji)}
                  >
                    {item.emoji}
                  </button>
                )}
              </For>
            </fieldset>
          </Match>
        </Switch>
      </div>
    </section>
  );
}
