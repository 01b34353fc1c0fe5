import type { UserProfile } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { debounce } from '@solid-primitives/scheduled';
import { createEffect, createMemo, createSignal, For, Show } from 'solid-js';
import { gopher } from '../../lib/session.ts';
import { createPeopleSearch, movedIndex, NO_SEARCH, pickable } from './people-search.ts';

/** Typing pauses this long before the server is asked: a burst of keystrokes is one query. */
const SEARCH_DEBOUNCE_MS = 150;

/**
 * Finds people by the first letters of their name or username as they are
 * typed, and picks them: several, shown as removable chips (a group), or one,
 * whom picking another replaces (a direct conversation). Me, whoever is picked
 * and `excludedIds` (people already there) are never suggested.
 *
 * An editable combobox with a list popup (WAI-ARIA APG): focus stays in the
 * field; Down and Up move through the suggestions, Enter picks the active one,
 * Escape closes the list (not the dialog around it). With no suggestion
 * active, Enter submits the form as usual.
 */
export function PeoplePicker(props: {
  id: string;
  label: string;
  myId: string;
  picked: readonly UserProfile[];
  onChange: (picked: UserProfile[]) => void;
  isMultiple?: boolean;
  excludedIds?: readonly string[];
  /** "Type a name" unless told otherwise. */
  placeholder?: string;
}) {
  let input: HTMLInputElement | undefined;
  const [text, setText] = createSignal('');
  const [found, setFound] = createSignal(NO_SEARCH);
  const [isOpen, setIsOpen] = createSignal(false);
  const [activeIndex, setActiveIndex] = createSignal(-1);
  const search = createPeopleSearch({
    search: (query) => gopher.api.users.search.query({ query }),
    debounce: (run) => debounce(run, SEARCH_DEBOUNCE_MS),
    describe: (error) => toAppError(error).userMessage,
    onChange(state) {
      setFound(state);
      // The best match is active once the answer is in, so Enter picks it; not before, so Enter never picks a
      // suggestion left over from an earlier query.
      setActiveIndex(state.isAnswered ? 0 : -1);
    },
  });

  const excluded = createMemo(
    () => new Set([props.myId, ...props.picked.map((person) => person.id), ...(props.excludedIds ?? [])]),
  );
  const options = createMemo(() => pickable(found().people, excluded()));
  const active = () => options()[activeIndex()];
  const isExpanded = () => isOpen() && found().query !== '';
  const listboxId = `${props.id}-listbox`;
  const optionId = (person: UserProfile) => `${props.id}-option-${person.id}`;
  const activeOptionId = () => {
    const person = active();
    return person && isExpanded() ? optionId(person) : undefined;
  };

  createEffect(() => {
    const id = activeOptionId();
    if (id) document.getElementById(id)?.scrollIntoView({ block: 'nearest' });
  });

  function pick(person: UserProfile) {
    props.onChange(props.isMultiple ? [...props.picked, person] : [person]);
    setText('');
    search.reset();
    setIsOpen(false);
    input?.focus();
  }

  function unpick(person: UserProfile) {
    props.onChange(props.picked.filter((picked) => picked.id !== person.id));
    input?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (found().query === '') return;
        event.preventDefault();
        setIsOpen(true);
        setActiveIndex(movedIndex(activeIndex(), options().length, event.key));
        return;
      case 'Enter': {
        const person = isExpanded() ? active() : undefined;
        if (!person) return;
        event.preventDefault();
        pick(person);
        return;
      }
      case 'Escape':
        if (!isExpanded()) return;
        // Keeps the dialog around open: this Escape was for the list.
        event.preventDefault();
        event.stopPropagation();
        setIsOpen(false);
        return;
      case 'Backspace': {
        const last = props.picked.at(-1);
        if (text() === '' && last) unpick(last);
        return;
      }
    }
  }

  const status = () => {
    const { isSearching, isAnswered, error } = found();
    if (error) return error;
    if (isSearching) return 'Searching…';
    return isAnswered && options().length === 0 ? 'No one found' : '';
  };

  return (
    <div class="flex flex-col gap-1.5">
      <label for={props.id} class="text-sm font-medium text-fg">
        {props.label}
      </label>
      <Show when={props.picked.length > 0}>
        <ul class="flex flex-wrap gap-1.5" aria-label={`${props.label}: picked`}>
          <For each={props.picked}>
            {(person) => (
              <li
                class="inline-flex items-center gap-1 rounded-full bg-accent-soft py-0.5 pl-3 pr-1 text-sm text-fg"
                data-testid="picked-person"
              >
                <span class="font-medium">{person.displayName}</span>
                <span class="text-fg-muted">@{person.username}</span>
                <button
                  type="button"
                  class="h-6 w-6 flex items-center justify-center rounded-full text-fg-muted hover:bg-surface-raised hover:text-fg"
                  aria-label={`Deselect ${person.displayName}`}
                  onClick={() => unpick(person)}
                >
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="relative">
        <input
          ref={input}
          id={props.id}
          class="field pr-9"
          type="text"
          role="combobox"
          autocomplete="off"
          spellcheck={false}
          aria-autocomplete="list"
          aria-expanded={isExpanded()}
          aria-controls={listboxId}
          aria-activedescendant={activeOptionId()}
          placeholder={props.placeholder ?? 'Type a name'}
          value={text()}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setIsOpen(true);
            search.type(event.currentTarget.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setIsOpen(false)}
        />
        <Show when={found().isSearching}>
          <span
            class="absolute right-3 top-1/2 h-4 w-4 -mt-2 animate-spin rounded-full border-2 border-line-strong border-t-accent"
            aria-hidden="true"
          />
        </Show>
        <div
          class="absolute left-0 right-0 top-full z-20 mt-1 overflow-hidden rounded-xl border border-line bg-surface-raised shadow-lg"
          hidden={!isExpanded()}
        >
          <div
            id={listboxId}
            role="listbox"
            aria-label={props.label}
            class="max-h-64 overflow-y-auto"
            // A click in the list must not take the focus from the field (its blur would close the list first).
            onMouseDown={(event) => event.preventDefault()}
          >
            <For each={options()}>
              {(person, index) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the field's (aria-activedescendant); options never take the focus.
                <div
                  id={optionId(person)}
                  role="option"
                  tabIndex={-1}
                  aria-selected={active() === person}
                  class={`cursor-pointer px-3 py-2 text-sm ${active() === person ? 'bg-accent-soft' : ''}`}
                  onMouseMove={() => setActiveIndex(index())}
                  onClick={() => pick(person)}
                >
                  <span class="font-medium">{person.displayName}</span>{' '}
                  <span class="text-fg-muted">@{person.username}</span>
                </div>
              )}
            </For>
          </div>
          {/* Always in the page, so that screen readers hear it change. */}
          <p
            class={`px-3 py-2 text-sm ${found().error ? 'text-danger' : 'text-fg-muted'}`}
            classList={{ 'sr-only': !status() }}
            role="status"
            data-testid="people-picker-status"
          >
            {status()}
          </p>
        </div>
      </div>
    </div>
  );
}
