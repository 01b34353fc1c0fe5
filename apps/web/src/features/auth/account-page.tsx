import { DISPLAY_NAME_MAX_LENGTH, OAUTH_PROVIDER_LABELS, type SignInMethods } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { createEffect, createResource, createSignal, on, Show } from 'solid-js';
import { changeDisplayName, changePassword, gopher } from '../../lib/session.ts';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { Toast } from '../../lib/ui/toast.tsx';
import { ProfilePicture } from './profile-picture.tsx';
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
        <p role="status" class="rounded-xl bg-success-soft px-3 py-2 text-sm text-success">
          Password changed. Your other devices were signed out.
        </p>
      </Show>
      <button type="submit" class="btn-primary self-start" disabled={submission.isBusy()}>
        {submission.isBusy() ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

/**
 * The name everyone else sees me by. Saved, it shows at once here and in the
 * header; the people I share a conversation with see it live.
 */
function DisplayNameForm(props: { username: string; displayName: string; onSaved: () => void }) {
  const [name, setName] = createSignal(props.displayName);
  // The saved name as the server keeps it (trimmed), or as changed on another device.
  createEffect(
    on(
      () => props.displayName,
      (saved) => setName(saved),
      { defer: true },
    ),
  );
  const isUnchanged = () => name().trim() === props.displayName;
  const submission = createSubmission(async () => {
    const error = await changeDisplayName(name());
    if (!error) props.onSaved();
    return error;
  });

  return (
    <form class="flex max-w-md flex-col gap-4" onSubmit={submission.submit}>
      <Field
        id="display-name"
        label="Display name"
        autocomplete="nickname"
        maxLength={DISPLAY_NAME_MAX_LENGTH}
        value={name()}
        onInput={submission.edit(setName)}
        aria-invalid={submission.error() ? true : undefined}
        hint={`Shown beside your messages and in others' conversation lists. Your username stays @${props.username}.`}
      />
      <ErrorAlert message={submission.error()} />
      <button type="submit" class="btn-primary self-start" disabled={submission.isBusy() || isUnchanged()}>
        {submission.isBusy() ? 'Saving…' : 'Save name'}
      </button>
    </form>
  );
}

/** The signed-in person's account: their name, how they sign in, their password, and their devices. */
export function AccountPage(props: { username: string; email: string; displayName: string; avatarKey: string | null }) {
  const [methods] = createResource(() => gopher.api.auth.signInMethods.query());
  // Bumped when a password change has signed other devices out, so the list reloads.
  const [sessionsVersion, setSessionsVersion] = createSignal(0);
  // An errored resource throws when read: look at the error first.
  const summary = () => {
    if (methods.error) return toAppError(methods.error).userMessage;
    const loaded = methods();
    return loaded ? describeMethods(loaded) : 'Loading…';
  };
  const [notice, setNotice] = createSignal<{ text: string }>();
  return (
    <div class="flex flex-col gap-6">
      <section class="card flex flex-col gap-4" aria-labelledby="profile-title">
        <h2 id="profile-title" class="text-lg font-semibold">
          Profile
        </h2>
        <ProfilePicture
          displayName={props.displayName}
          avatarKey={props.avatarKey}
          onChanged={(text) => setNotice({ text })}
        />
        <DisplayNameForm
          username={props.username}
          displayName={props.displayName}
          onSaved={() => setNotice({ text: 'Display name saved.' })}
        />
      </section>
      <section class="card flex flex-col gap-4" aria-labelledby="sign-in-title">
        <div>
          <h2 id="sign-in-title" class="text-lg font-semibold">
            Signing in
          </h2>
          <p class="text-sm text-fg-muted" data-testid="sign-in-methods">
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
      <Toast notice={notice()} onDone={() => setNotice(undefined)} />
    </div>
  );
}
