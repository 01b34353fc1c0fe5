import type { SessionInfo } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { createResource, createSignal, For, Show } from 'solid-js';
import { gopher, signOut } from '../../lib/session.ts';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "Firefox on Linux" from a user agent: enough to recognise a device, no more. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser =
    [/Edg\//, 'Edge', /OPR\//, 'Opera', /Firefox\//, 'Firefox', /Chrome\//, 'Chrome', /Safari\//, 'Safari'].reduce<
      string | undefined
    >(
      (found, entry, index, list) =>
        found ?? (entry instanceof RegExp && entry.test(userAgent) ? (list[index + 1] as string) : undefined),
      undefined,
    ) ??
    userAgent.split(/[\s/]/)[0] ??
    'Browser';
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return system ? `${browser} on ${system}` : browser;
}

/** Signed-in devices; a new `version` reloads the list. */
export function SessionsCard(props: { version: number }) {
  const [sessions, { refetch }] = createResource(
    () => props.version,
    () => gopher.api.auth.sessions.list.query(),
  );
  const [error, setError] = createSignal<string>();

  async function revoke(session: SessionInfo) {
    try {
      await gopher.api.auth.sessions.revoke.mutate({ sessionId: session.id });
      setError(undefined);
      await refetch();
    } catch (caught) {
      setError(toAppError(caught).userMessage);
    }
  }

  async function signOutEverywhere() {
    try {
      await gopher.api.auth.logoutEverywhere.mutate();
    } finally {
      await signOut();
    }
  }

  return (
    <section class="card flex flex-col gap-4" aria-labelledby="sessions-title">
      <header class="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="sessions-title" class="text-lg font-semibold">
            Where you’re signed in
          </h2>
          <p class="text-sm text-fg-muted">Sign out of any device you don’t recognise.</p>
        </div>
        <button
          type="button"
          class="btn border border-danger/40 text-danger hover:bg-danger-soft"
          onClick={signOutEverywhere}
        >
          Sign out everywhere
        </button>
      </header>
      <Show when={error() ?? (sessions.error ? toAppError(sessions.error).userMessage : undefined)}>
        {(message) => (
          <p role="alert" class="text-sm text-danger">
            {message()}
          </p>
        )}
      </Show>
      <ul class="flex flex-col divide-y divide-line">
        <For each={sessions()}>
          {(session) => (
            <li class="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="session">
              <div class="min-w-0">
                <p class="font-medium">
                  {describeDevice(session.userAgent)}
                  <Show when={session.isCurrent}>
                    <span class="ml-2 rounded-full bg-accent-soft px-2 py-0.5 text-xs font-medium text-accent-fg">
                      This device
                    </span>
                  </Show>
                </p>
                <p class="text-xs text-fg-muted">
                  {session.ip ?? 'Unknown address'} · signed in {dateTime.format(new Date(session.createdAt))} · last
                  active {dateTime.format(new Date(session.lastUsedAt))}
                </p>
              </div>
              <Show when={!session.isCurrent}>
                <button
                  type="button"
                  class="btn border border-line-strong hover:bg-surface-sunken"
                  onClick={() => revoke(session)}
                >
                  Sign out
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
