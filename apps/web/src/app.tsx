import { lazy, Match, onMount, Suspense, Switch } from 'solid-js';
import { Shell } from './features/shell/shell.tsx';
import { restoreSession, session } from './lib/session.ts';

// Signed in, as people mostly are, the app never shows it: a chunk of its own, out of the signed-in app's first load.
const AuthScreen = lazy(() =>
  import('./features/auth/auth-screen.tsx').then((module) => ({ default: module.AuthScreen })),
);

const Loading = () => (
  <p class="flex min-h-screen items-center justify-center text-sm text-fg-muted" role="status">
    Loading GopherChat…
  </p>
);

export function App() {
  onMount(() => void restoreSession());
  return (
    <Switch>
      <Match when={session().status === 'restoring'}>
        <Loading />
      </Match>
      <Match when={session().status === 'signed-out'}>
        <Suspense fallback={<Loading />}>
          <AuthScreen />
        </Suspense>
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
