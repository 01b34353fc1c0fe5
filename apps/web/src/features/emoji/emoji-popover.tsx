import { onCleanup, onMount } from 'solid-js';
import { Portal } from 'solid-js/web';
import EmojiPicker from './emoji-picker.tsx';
import type { EmojiPrefs } from './emoji-prefs.ts';

/** Below this width the picker is a sheet along the bottom of the screen, not a popover by its button. */
const SHEET_BELOW_PX = 640;
const PICKER_WIDTH_PX = 320;
const PICKER_HEIGHT_PX = 384;
const MARGIN_PX = 8;

export interface EmojiRequest {
  /** What the picker is for, read out as its name ("React to Ada's message"). */
  label: string;
  /** The button that opened it: the picker opens beside it, and focus goes back to it. */
  anchor: HTMLElement;
  onPick: (emoji: string) => void;
}

/** Where the popover goes: beside its button, above it in the lower half of the screen, always within the window. */
function placeBeside(anchor: HTMLElement): { left: number; top: number } {
  const box = anchor.getBoundingClientRect();
  const left = Math.min(
    Math.max(MARGIN_PX, box.right - PICKER_WIDTH_PX),
    window.innerWidth - PICKER_WIDTH_PX - MARGIN_PX,
  );
  const opensUp = box.top > window.innerHeight / 2;
  const top = opensUp ? box.top - PICKER_HEIGHT_PX - MARGIN_PX : box.bottom + MARGIN_PX;
  return { left, top: Math.min(Math.max(MARGIN_PX, top), window.innerHeight - PICKER_HEIGHT_PX - MARGIN_PX) };
}

/**
 * The one emoji picker of a screen, opened for a request (a reaction, the
 * composer) and closed by a pick, Escape, or a press outside it; focus then
 * goes back to the button that opened it. A dialog that is not modal: the
 * page behind stays readable. Loaded, with the picker, only when first opened.
 */
export default function EmojiPopover(props: { request: EmojiRequest; prefs: EmojiPrefs; onClose: () => void }) {
  let panel: HTMLDivElement | undefined;
  // Placed once, as it opens: it closes on the next press anyway.
  const isSheet = window.innerWidth < SHEET_BELOW_PX;
  const place = isSheet ? undefined : placeBeside(props.request.anchor);

  const close = () => {
    props.onClose();
    props.request.anchor.focus();
  };
  const closeOnOutsidePointer = (event: PointerEvent) => {
    const target = event.target as Node;
    if (!panel?.contains(target) && !props.request.anchor.contains(target)) props.onClose();
  };
  onMount(() => document.addEventListener('pointerdown', closeOnOutsidePointer));
  onCleanup(() => document.removeEventListener('pointerdown', closeOnOutsidePointer));

  return (
    <Portal>
      <div
        ref={panel}
        role="dialog"
        aria-label={props.request.label}
        class={
          isSheet ? 'fixed inset-x-0 bottom-0 z-30 p-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]' : 'fixed z-30'
        }
        style={place ? { left: `${place.left}px`, top: `${place.top}px` } : undefined}
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.preventDefault();
          event.stopPropagation();
          close();
        }}
      >
        <EmojiPicker
          label={props.request.label}
          prefs={props.prefs}
          onPick={(emoji) => {
            props.request.onPick(emoji);
            close();
          }}
        />
      </div>
    </Portal>
  );
}
