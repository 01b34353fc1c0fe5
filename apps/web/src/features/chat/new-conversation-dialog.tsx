import { CONVERSATION_TITLE_MAX_LENGTH } from '@gopherchat/api';
import { createSignal, Show } from 'solid-js';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { parseUsernames } from './usernames.ts';

/**
 * Starts a direct conversation with one person, or a group with several, by
 * username. A native modal dialog: focus moves in, stays in, Escape closes it,
 * and focus goes back to the button that opened it.
 */
export function NewConversationDialog(props: {
  onStartDirect: (username: string) => Promise<string | undefined>;
  onStartGroup: (title: string, usernames: string[]) => Promise<string | undefined>;
}) {
  let dialog: HTMLDialogElement | undefined;
  const [kind, setKind] = createSignal<'direct' | 'group'>('direct');
  const [username, setUsername] = createSignal('');
  const [title, setTitle] = createSignal('');
  const [members, setMembers] = createSignal('');

  const submission = createSubmission(async () => {
    const error =
      kind() === 'direct'
        ? await props.onStartDirect(username().trim())
        : await props.onStartGroup(title(), parseUsernames(members()));
    if (!error) dialog?.close();
    return error;
  });

  const openDialog = () => {
    setUsername('');
    setTitle('');
    setMembers('');
    submission.clearError();
    dialog?.showModal();
  };

  return (
    <>
      <button type="button" class="btn-primary" onClick={openDialog}>
        New conversation
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="new-conversation-title"
        class="w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
      >
        <form class="flex flex-col gap-4 p-5" onSubmit={(event) => void submission.submit(event)}>
          <h2 id="new-conversation-title" class="text-lg font-semibold">
            New conversation
          </h2>
          <div role="tablist" class="flex gap-1 rounded-xl bg-slate-100 p-1 text-sm dark:bg-slate-800">
            <KindTabs kind={kind()} onPick={setKind} />
          </div>
          <Show
            when={kind() === 'direct'}
            fallback={
              <>
                <Field
                  id="group-title"
                  label="Group name"
                  value={title()}
                  onInput={submission.edit(setTitle)}
                  required
                  maxLength={CONVERSATION_TITLE_MAX_LENGTH}
                />
                <Field
                  id="group-members"
                  label="Members"
                  value={members()}
                  onInput={submission.edit(setMembers)}
                  placeholder="usernames, separated by commas"
                />
              </>
            }
          >
            <Field
              id="direct-username"
              label="Username"
              value={username()}
              onInput={submission.edit(setUsername)}
              required
              autocomplete="off"
              placeholder="who to talk to"
            />
          </Show>
          <ErrorAlert message={submission.error()} />
          <div class="flex justify-end gap-2">
            <button
              type="button"
              class="btn hover:bg-slate-100 dark:hover:bg-slate-800"
              onClick={() => dialog?.close()}
            >
              Cancel
            </button>
            <button type="submit" class="btn-primary" disabled={submission.isBusy()}>
              {kind() === 'direct' ? 'Start' : 'Create group'}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

function KindTabs(props: { kind: 'direct' | 'group'; onPick: (kind: 'direct' | 'group') => void }) {
  const tab = (value: 'direct' | 'group', label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={props.kind === value}
      class={`flex-1 rounded-lg px-3 py-1.5 font-medium ${props.kind === value ? 'bg-white shadow-sm dark:bg-slate-950' : 'text-slate-500'}`}
      onClick={() => props.onPick(value)}
    >
      {label}
    </button>
  );
  return (
    <>
      {tab('direct', 'Direct')}
      {tab('group', 'Group')}
    </>
  );
}
