import { For, Match, Show, Switch } from 'solid-js';
import { fileBadge, formatBytes } from './presentation.ts';
import type { Upload, UploadPhase } from './upload-queue.ts';

/** How far along an upload is, in percent: its bytes, then the server's check and the message. */
function percentOf(phase: UploadPhase): number {
  switch (phase.name) {
    case 'waiting':
    case 'failed':
      return 0;
    case 'uploading':
      return Math.round(phase.progress * 100);
    case 'checking':
    case 'sending':
      return 100;
  }
}

function describePhase(phase: UploadPhase): string {
  switch (phase.name) {
    case 'waiting':
      return 'Waiting…';
    case 'uploading':
      return `Uploading… ${percentOf(phase)}%`;
    case 'checking':
      return 'Checking the file…';
    case 'sending':
      return 'Sending…';
    case 'failed':
      return phase.reason;
  }
}

const linkButton = 'font-medium underline underline-offset-2';

/**
 * The files being shared in this conversation, above the composer: each
 * with its progress and a way to cancel it, or why it failed and what can
 * be done. Sent, a file leaves the list and shows as its message.
 */
export function PendingUploads(props: {
  uploads: Upload[];
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  onDismiss: (id: string) => void;
}) {
  return (
    <Show when={props.uploads.length > 0}>
      <ul
        class="flex max-h-48 flex-col gap-2 overflow-y-auto border-t border-line px-3 pt-3"
        aria-label="Files being shared"
        data-testid="pending-uploads"
      >
        <For each={props.uploads}>
          {(upload) => {
            const phase = () => upload.phase;
            const isFailed = () => phase().name === 'failed';
            return (
              <li
                class={`rounded-xl border px-3 py-2 text-sm ${
                  isFailed() ? 'border-danger/30 bg-danger-soft' : 'border-line bg-surface'
                }`}
                data-testid="pending-upload"
                data-phase={phase().name}
              >
                <div class="flex items-center gap-2">
                  <span
                    class="flex-none rounded-md bg-surface-sunken px-1.5 py-0.5 text-[0.625rem] font-bold tracking-wide text-fg-muted"
                    aria-hidden="true"
                  >
                    {fileBadge(upload.fileName)}
                  </span>
                  <span class="min-w-0 flex-1 truncate font-medium" title={upload.fileName}>
                    {upload.fileName}
                  </span>
                  <span class="flex-none text-xs text-fg-muted">{formatBytes(upload.byteSize)}</span>
                  <Switch>
                    <Match when={phase().name === 'waiting' || phase().name === 'uploading'}>
                      <button
                        type="button"
                        class={`${linkButton} text-xs text-fg-muted hover:text-fg`}
                        aria-label={`Cancel sharing ${upload.fileName}`}
                        onClick={() => props.onCancel(upload.id)}
                      >
                        Cancel
                      </button>
                    </Match>
                    <Match when={isFailed()}>
                      <Show when={phase().name === 'failed' && (phase() as { canRetry: boolean }).canRetry}>
                        <button
                          type="button"
                          class={`${linkButton} text-xs text-danger`}
                          aria-label={`Retry sharing ${upload.fileName}`}
                          onClick={() => props.onRetry(upload.id)}
                        >
                          Retry
                        </button>
                      </Show>
                      <button
                        type="button"
                        class={`${linkButton} text-xs text-danger`}
                        aria-label={`Dismiss ${upload.fileName}`}
                        onClick={() => props.onDismiss(upload.id)}
                      >
                        Dismiss
                      </button>
                    </Match>
                  </Switch>
                </div>
                <Show
                  when={!isFailed()}
                  fallback={
                    <p class="mt-1 text-xs text-danger" role="alert">
                      {describePhase(phase())}
                    </p>
                  }
                >
                  <div
                    class="mt-2 h-1.5 overflow-hidden rounded-full bg-line"
                    role="progressbar"
                    aria-label={`Sharing ${upload.fileName}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={percentOf(phase())}
                    aria-valuetext={describePhase(phase())}
                  >
                    <div
                      class="h-full rounded-full bg-accent transition-[width] duration-200"
                      style={{ width: `${percentOf(phase())}%` }}
                    />
                  </div>
                  <p class="mt-1 text-xs text-fg-muted">{describePhase(phase())}</p>
                </Show>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
