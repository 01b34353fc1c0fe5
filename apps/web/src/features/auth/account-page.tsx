import { OAUTH_PROVIDER_LABELS, type SignInMethods } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { createResource, createSignal, Show } from 'solid-js';
import { changePassword, gopher } from '../../lib/session.ts';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { SessionsCard } from './sessions-card.tsx';
import { StrengthMeter } from './strength-meter.tsx';

function describeMethods(methods: SignInMethods): string {
  const providers = methods.providers.map((provider) => OAUTH_PROVIDER_LABELS[provider]);
  const ways = [...(methods.hasPassword ? ['your password'] : []), ...providers];
  return ways.length > 0 ? `You sign in with ${ways.join(' or ')}.` : 'No sign-in method is set up.';
}

function ChangePasswordForm(props: { related: string[]; onChanged: () => void }) {
  const [currentPassword, setCurrentPassword] = createSignal('');
  const [newPassword, setNewPassword] = createSignal('');
  const [isDone, setIsDone] = createSignal(false);
  const submission = createSubmission(async () => {
    setIsDone(false);
    const error = await changePassword(currentPassword(), newPassword());
    if (!error) {
      setCurrentPassword('');
      setNewPassword('');
      setIsDone(true);
      props.onChanged();
    }
    return error;
  });

  return (
    <form class="flex max-w-md flex-col gap-4" onSubmit={submission.submit} aria-label="Change password">
      <Field
        id="current-password"
        label="Current password"
        type="password"
        autocomplete="current-password"
        required
        value={currentPassword()}
        onInput={submission.edit(setCurrentPassword)}
      />
      <Field
        id="changed-password"
        label="New password"
        type="password"
        autocomplete="new-password"
        required
        value={newPassword()}
        onInput={submission.edit(setNewPassword)}
        hint={<StrengthMeter password={newPassword()} relatedInputs={props.related} />}
      />
      <ErrorAlert message={submission.error()} />
      <Show when={isDone()}>
        <p
          role="status"
          class="rounded-xl bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-200"
        >
          Password changed. Your other devices were signed out.
        </p>
      </Show>
      <button type="submit" class="btn-primary self-start" disabled={submission.isBusy()}>
        {submission.isBusy() ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

/** The signed-in person's account: how they sign in, their password, and their devices. */
export function AccountPage(props: { username: string; email: string }) {
  const [methods] = createResource(() => gopher.api.auth.signInMethods.query());
  // Bumped when a password change has signed other devices out, so the list reloads.
  const [sessionsVersion, setSessionsVersion] = createSignal(0);
  // An errored resource throws when read: look at the error first.
  const summary = () => {
    if (methods.error) return toAppError(methods.error).userMessage;
    const loaded = methods();
    return loaded ? describeMethods(loaded) : 'Loading…';
  };
  return (
    <div class="flex flex-col gap-6">
      <section class="card flex flex-col gap-4" aria-labelledby="sign-in-title">
        <div>
          <h2 id="sign-in-title" class="text-lg font-semibold">
            Signing in
          </h2>
          <p class="text-sm text-slate-500 dark:text-slate-400" data-testid="sign-in-methods">
            {summary()}
          </p>
        </div>
        <Show when={!methods.error && methods()?.hasPassword}>
          <ChangePasswordForm
            related={[props.username, props.email]}
            onChanged={() => setSessionsVersion((version) => version + 1)}
          />
        </Show>
      </section>
      <SessionsCard version={sessionsVersion()} />
    </div>
  );
}
