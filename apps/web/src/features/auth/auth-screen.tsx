import { createSignal, Match, Show, Switch } from 'solid-js';
import { session, signIn, signUp } from '../../lib/session.ts';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { ProviderButtons } from './provider-buttons.tsx';
import { StrengthMeter } from './strength-meter.tsx';

function SignInForm() {
  const [login, setLogin] = createSignal('');
  const [password, setPassword] = createSignal('');
  const submission = createSubmission(() => signIn(login(), password()));

  return (
    <form class="flex flex-col gap-4" onSubmit={submission.submit} aria-label="Sign in">
      <Field
        id="login"
        label="Username or email"
        autocomplete="username"
        required
        value={login()}
        onInput={submission.edit(setLogin)}
      />
      <Field
        id="password"
        label="Password"
        type="password"
        autocomplete="current-password"
        required
        value={password()}
        onInput={submission.edit(setPassword)}
      />
      <ErrorAlert message={submission.error()} />
      <button type="submit" class="btn-primary" disabled={submission.isBusy()}>
        {submission.isBusy() ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function SignUpForm() {
  const [username, setUsername] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const submission = createSubmission(() => signUp({ username: username(), email: email(), password: password() }));

  return (
    <form class="flex flex-col gap-4" onSubmit={submission.submit} aria-label="Create account">
      <Field
        id="username"
        label="Username"
        autocomplete="username"
        required
        minLength={3}
        maxLength={32}
        value={username()}
        onInput={submission.edit(setUsername)}
        hint="Letters, digits, “_”, “.” and “-”. Others see it."
      />
      <Field
        id="email"
        label="Email"
        type="email"
        autocomplete="email"
        required
        value={email()}
        onInput={submission.edit(setEmail)}
      />
      <Field
        id="new-password"
        label="Password"
        type="password"
        autocomplete="new-password"
        required
        value={password()}
        onInput={submission.edit(setPassword)}
        hint={<StrengthMeter password={password()} relatedInputs={[username(), email()]} />}
      />
      <ErrorAlert message={submission.error()} />
      <button type="submit" class="btn-primary" disabled={submission.isBusy()}>
        {submission.isBusy() ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}

export function AuthScreen() {
  const [mode, setMode] = createSignal<'sign-in' | 'sign-up'>('sign-in');
  const reason = () => {
    const state = session();
    return state.status === 'signed-out' ? state.reason : undefined;
  };
  const tab = (value: 'sign-in' | 'sign-up', label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={mode() === value}
      class="flex-1 rounded-lg px-3 py-1.5 text-sm font-medium transition"
      classList={{
        'bg-surface-raised shadow-sm': mode() === value,
        'text-fg-muted hover:text-fg': mode() !== value,
      }}
      onClick={() => setMode(value)}
    >
      {label}
    </button>
  );

  return (
    <main class="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-10">
      <div class="mb-8 flex flex-col items-center gap-3 text-center">
        <div class="h-12 w-12 flex items-center justify-center rounded-2xl bg-accent text-xl font-bold text-accent-contrast shadow-sm">
          G
        </div>
        <h1 class="text-2xl font-semibold tracking-tight">Welcome to GopherChat</h1>
      </div>
      <div class="card flex flex-col gap-5">
        <Show when={reason()}>
          {(message) => (
            <p role="status" class="rounded-xl bg-warning-soft px-3 py-2 text-sm text-warning">
              {message()}
            </p>
          )}
        </Show>
        <div role="tablist" class="flex gap-1 rounded-xl bg-surface-sunken p-1">
          {tab('sign-in', 'Sign in')}
          {tab('sign-up', 'Create account')}
        </div>
        <Switch>
          <Match when={mode() === 'sign-in'}>
            <SignInForm />
          </Match>
          <Match when={mode() === 'sign-up'}>
            <SignUpForm />
          </Match>
        </Switch>
        <ProviderButtons />
      </div>
    </main>
  );
}
