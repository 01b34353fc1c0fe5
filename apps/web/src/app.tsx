import { Match, onMount, Switch } from 'solid-js';
import { AuthScreen } from './features/auth/auth-screen.tsx';
import { Shell } from './features/shell/shell.tsx';
import { restoreSession, session } from './lib/session.ts';

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
