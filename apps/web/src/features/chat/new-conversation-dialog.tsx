import { CONVERSATION_TITLE_MAX_LENGTH, type UserProfile } from '@gopherchat/api';
import { createSignal, lazy, Show, Suspense } from 'solid-js';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';

// Opened now and then: the picker (and its search) is a chunk of its own, out of the app's first load.
const PeoplePicker = lazy(() =>
  import('../people/people-picker.tsx').then((module) => ({ default: module.PeoplePicker })),
);

/**
 * Starts a direct conversation with one person, or a group with several,
 * found by name as it is typed. A native modal dialog: focus moves in, stays
 * in, Escape closes it, and focus goes back to the button that opened it.
 */
export function NewConversationDialog(props: {
  myId: string;
  onStartDirect: (userId: string) => Promise<string | undefined>;
  onStartGroup: (title: string, userIds: string[]) => Promise<string | undefined>;
}) {
  let dialog: HTMLDialogElement | undefined;
  const [kind, setKind] = createSignal<'direct' | 'group'>('direct');
  // Rendered only while open: each opening starts with empty fields and pickers.
  const [isOpen, setIsOpen] = createSignal(false);
  const [person, setPerson] = createSignal<UserProfile>();
  const [title, setTitle] = createSignal('');
  const [members, setMembers] = createSignal<UserProfile[]>([]);

  const submission = createSubmission(async () => {
    if (kind() === 'direct') {
      const picked = person();
      if (!picked) return 'Pick the person to talk to.';
      const error = await props.onStartDirect(picked.id);
      if (!error) dialog?.close();
      return error;
    }
    const error = await props.onStartGroup(
      title(),
      members().map((member) => member.id),
    );
    if (!error) dialog?.close();
    return error;
  });
  const pickPerson = (picked: UserProfile[]) => {
    setPerson(picked[0]);
    submission.clearError();
  };
  const pickMembers = (picked: UserProfile[]) => {
    setMembers(picked);
    submission.clearError();
  };

  const openDialog = () => {
    setPerson(undefined);
    setTitle('');
    setMembers([]);
    submission.clearError();
    setIsOpen(true);
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
        onClose={() => setIsOpen(false)}
        class="dialog-panel"
      >
        <Show when={isOpen()}>
          <Suspense>
            <form class="flex flex-col gap-4 p-5" onSubmit={(event) => void submission.submit(event)}>
              <h2 id="new-conversation-title" class="text-lg font-semibold">
                New conversation
              </h2>
              <div role="tablist" class="flex gap-1 rounded-xl bg-surface-sunken p-1 text-sm">
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
                    <PeoplePicker
                      id="group-members"
                      label="Members"
                      myId={props.myId}
                      picked={members()}
                      onChange={pickMembers}
                      isMultiple
                    />
                  </>
                }
              >
                <PeoplePicker
                  id="direct-person"
                  label="Person"
                  myId={props.myId}
                  picked={person() ? [person() as UserProfile] : []}
                  onChange={pickPerson}
                />
              </Show>
              <ErrorAlert message={submission.error()} />
              <div class="flex justify-end gap-2">
                <button type="button" class="btn hover:bg-surface-sunken" onClick={() => dialog?.close()}>
                  Cancel
                </button>
                <button type="submit" class="btn-primary" disabled={submission.isBusy()}>
                  {kind() === 'direct' ? 'Start' : 'Create group'}
                </button>
              </div>
            </form>
          </Suspense>
        </Show>
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
      class={`flex-1 rounded-lg px-3 py-1.5 font-medium ${props.kind === value ? 'bg-surface-raised shadow-sm' : 'text-fg-muted'}`}
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
