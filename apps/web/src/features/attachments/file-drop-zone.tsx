import { createSignal, type JSX, Show } from 'solid-js';
import { isCarryingFiles } from './picked-files.ts';

const carriesFiles = (event: DragEvent) => isCarryingFiles(event.dataTransfer);

/**
 * An area files can be dropped on to share them; while files are dragged
 * over it, it says so. Other drags (text, links) pass through untouched.
 */
export function FileDropZone(props: { class?: string; onFiles: (files: File[]) => void; children: JSX.Element }) {
  const [isOver, setIsOver] = createSignal(false);
  // Entering a child counts as leaving the parent: only the last leave ends the drag over the area.
  let depth = 0;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is the pointer's way to what the composer's paperclip offers everyone.
    <div
      class={`relative ${props.class ?? ''}`}
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth++;
        setIsOver(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event) || !event.dataTransfer) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (!carriesFiles(event)) return;
        depth = Math.max(0, depth - 1);
        if (depth === 0) setIsOver(false);
      }}
      onDrop={(event) => {
        if (!carriesFiles(event)) return;
        // Otherwise the browser would leave the app to show the file.
        event.preventDefault();
        depth = 0;
        setIsOver(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0) props.onFiles(files);
      }}
    >
      {props.children}
      <Show when={isOver()}>
        <div
          class="pointer-events-none absolute inset-2 z-10 flex items-center justify-center rounded-2xl border-2 border-dashed border-accent bg-accent-soft/90 text-sm font-medium text-accent-fg"
          aria-hidden="true"
        >
          Drop files here to share them
        </div>
      </Show>
    </div>
  );
}
