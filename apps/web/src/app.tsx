import type { Me } from '@gopherchat/api';
import { createSignal, Match, onMount, Switch } from 'solid-js';
import { AnnouncementsPanel } from './features/announcements/announcements-panel.tsx';
import { canPostAnnouncements } from './features/announcements/feed.ts';
import { AccountPage } from './features/auth/account-page.tsx';
import { AuthScreen } from './features/auth/auth-screen.tsx';
import { ChatView } from './features/chat/chat-view.tsx';
import { createChatStore } from './features/chat/store.ts';
import { ServerStatus } from './features/system/server-status.tsx';
import { connectionState, restoreSession, session, signOut } from './lib/session.ts';
import { ThemePicker } from './lib/ui/theme-picker.tsx';

function NavButton(props: { label: string; isCurrent?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      class="btn px-2.5 hover:bg-surface-sunken sm:px-4"
      aria-current={props.isCurrent ? 'page' : undefined}
      onClick={() => props.onClick()}
    >
      {props.label}
    </button>
  );
}

function Shell(props: { user: Me }) {
  // For the whole signed-in session, not only while the chat screen shows: away from it I am still online.
  const chat = createChatStore(props.user);
  const [view, setView] = createSignal<'chat' | 'server' | 'account'>('chat');
  return (
    <div class="mx-auto max-w-6xl px-3 py-3 sm:px-6 sm:py-5">
      <header class="mb-4 flex flex-wrap items-center justify-between gap-3">
        <button type="button" class="flex items-center gap-3 text-left" onClick={() => setView('chat')}>
          <div class="h-10 w-10 flex items-center justify-center rounded-2xl bg-accent text-lg font-bold text-accent-contrast shadow-sm">
            G
          </div>
          <div>
            <h1 class="text-xl font-semibold tracking-tight">GopherChat</h1>
            <p class="hidden text-sm text-fg-muted sm:block">Self-hosted, real-time chat</p>
          </div>
        </button>
        <nav class="flex flex-wrap items-center gap-1 text-sm sm:gap-2" aria-label="Account">
          <span class="text-fg-muted" role="status" data-testid="connection-state">
            {connectionState().status === 'connecting' ? 'Connecting…' : ''}
          </span>
          <span class="font-medium" data-testid="signed-in-as">
            {props.user.displayName}
          </span>
          <NavButton label="Chats" isCurrent={view() === 'chat'} onClick={() => setView('chat')} />
          <NavButton label="Server" isCurrent={view() === 'server'} onClick={() => setView('server')} />
          <NavButton label="Account" isCurrent={view() === 'account'} onClick={() => setView('account')} />
          <NavButton label="Sign out" onClick={() => void signOut()} />
          <ThemePicker />
        </nav>
      </header>
      <Switch>
        <Match when={view() === 'chat'}>
          <ChatView me={props.user} chat={chat} />
        </Match>
        <Match when={view() === 'server'}>
          <main class="grid gap-6 md:grid-cols-[280px_1fr]">
            <ServerStatus />
            <AnnouncementsPanel canPost={canPostAnnouncements(props.user)} />
          </main>
        </Match>
        <Match when={view() === 'account'}>
          <AccountPage username={props.user.username} email={props.user.email} displayName={props.user.displayName} />
        </Match>
      </Switch>
    </div>
  );
}

export function App() {
  onMount(() => void restoreSession());
  return (
    <Switch>
      <Match when={session().status === 'restoring'}>
        <p class="flex min-h-screen items-center justify-center text-sm text-fg-muted" role="status">
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
