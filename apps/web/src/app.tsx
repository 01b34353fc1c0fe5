import type { Me } from '@gopherchat/api';
import { createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { AnnouncementsPanel } from './features/announcements/announcements-panel.tsx';
import { AccountPage } from './features/auth/account-page.tsx';
import { AuthScreen } from './features/auth/auth-screen.tsx';
import { ServerStatus } from './features/system/server-status.tsx';
import { connectionState, restoreSession, session, signOut } from './lib/session.ts';

function Shell(props: { user: Me }) {
  const [view, setView] = createSignal<'home' | 'account'>('home');
  return (
    <div class="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-10">
      <header class="mb-8 flex flex-wrap items-center justify-between gap-4">
        <button type="button" class="flex items-center gap-3 text-left" onClick={() => setView('home')}>
          <div class="h-10 w-10 flex items-center justify-center rounded-2xl bg-accent text-lg font-bold text-white shadow-sm">
            G
          </div>
          <div>
            <h1 class="text-xl font-semibold tracking-tight">GopherChat</h1>
            <p class="text-sm text-slate-500 dark:text-slate-400">Self-hosted, real-time chat</p>
          </div>
        </button>
        <nav class="flex items-center gap-2 text-sm" aria-label="Account">
          <span class="text-slate-500 dark:text-slate-400" role="status" data-testid="connection-state">
            {connectionState() === 'connecting' ? 'Connecting…' : ''}
          </span>
          <span class="font-medium" data-testid="signed-in-as">
            {props.user.displayName}
          </span>
          <button
            type="button"
            class="btn hover:bg-slate-100 dark:hover:bg-slate-800"
            aria-current={view() === 'account' ? 'page' : undefined}
            onClick={() => setView('account')}
          >
            Account
          </button>
          <button type="button" class="btn hover:bg-slate-100 dark:hover:bg-slate-800" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      <Show when={view() === 'home'} fallback={<AccountPage username={props.user.username} email={props.user.email} />}>
        <main class="grid gap-6 md:grid-cols-[280px_1fr]">
          <ServerStatus />
          <AnnouncementsPanel />
        </main>
      </Show>
    </div>
  );
}

export function App() {
  onMount(() => void restoreSession());
  return (
    <Switch>
      <Match when={session().status === 'restoring'}>
        <p class="flex min-h-screen items-center justify-center text-sm text-slate-500" role="status">
          Loading GopherChat…
        </p>
      </Match>
      <Match when={session().status === 'signed-out'}>
        <AuthScreen />
      </Match>
      <Match
        when={(() => {
          const state = session();
          return state.status === 'signed-in' ? state.user : undefined;
        })()}
      >
        {(user) => <Shell user={user()} />}
      </Match>
    </Switch>
  );
}
