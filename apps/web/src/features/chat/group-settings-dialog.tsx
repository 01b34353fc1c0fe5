import {
  CONVERSATION_TITLE_MAX_LENGTH,
  type ConversationSummary,
  type Member,
  type MemberRole,
  type UserPresence,
  type UserProfile,
} from '@gopherchat/api';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { PeoplePicker } from '../people/people-picker.tsx';
import { type PresenceStatus, presenceStatusOf } from './last-seen.ts';
import { canManage, canRemove } from './permissions.ts';

const ROLE_NAMES: Record<MemberRole, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };
const PRESENCE_DOT: Record<PresenceStatus, string> = {
  online: 'bg-emerald-500',
  offline: 'bg-line-strong',
  unknown: 'border border-line-strong',
};
const PRESENCE_WORDS: Record<PresenceStatus, string> = {
  online: 'Online:',
  offline: 'Offline:',
  unknown: 'Presence unknown:',
};
const ROLE_ORDER: Record<MemberRole, number> = { owner: 0, admin: 1, member: 2 };

/**
 * A group's settings, from its header: its name, who is in it (with roles and
 * who is online), adding and removing people, and leaving. Only what my role
 * allows is offered; the server's refusals are shown in place, in words. A
 * native modal dialog, like the new-conversation one.
 */
export function GroupSettingsDialog(props: {
  myId: string;
  conversation: ConversationSummary;
  members: Record<string, Member>;
  presence: Record<string, UserPresence>;
  onRename: (title: string) => Promise<string | undefined>;
  onAdd: (userIds: string[]) => Promise<string | undefined>;
  onRemove: (userId: string) => Promise<string | undefined>;
  onLeave: () => Promise<string | undefined>;
}) {
  let dialog: HTMLDialogElement | undefined;
  const [title, setTitle] = createSignal('');
  // Rendered only while open: each opening starts with an empty people picker.
  const [isOpen, setIsOpen] = createSignal(false);
  const [newcomers, setNewcomers] = createSignal<UserProfile[]>([]);
  const [isConfirmingLeave, setIsConfirmingLeave] = createSignal(false);
  const [removalError, setRemovalError] = createSignal<string>();
  let stayButton: HTMLButtonElement | undefined;

  const isManager = () => canManage(props.conversation.myRole);
  const members = createMemo(() =>
    Object.values(props.members).sort(
      (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.displayName.localeCompare(b.displayName),
    ),
  );

  const rename = createSubmission(() => props.onRename(title()));
  const memberIds = createMemo(() => Object.keys(props.members));
  const add = createSubmission(async () => {
    if (newcomers().length === 0) return 'Pick who to add.';
    const error = await props.onAdd(newcomers().map((person) => person.id));
    if (!error) setNewcomers([]);
    return error;
  });
  const pickNewcomers = (picked: UserProfile[]) => {
    setNewcomers(picked);
    add.clearError();
  };
  const leave = createSubmission(() => props.onLeave());
  const remove = async (userId: string) => setRemovalError(await props.onRemove(userId));
  const askToLeave = () => {
    setIsConfirmingLeave(true);
    // The button that was pressed is gone: the safe answer takes the focus.
    stayButton?.focus();
  };

  const openDialog = () => {
    setTitle(props.conversation.title);
    setNewcomers([]);
    setIsConfirmingLeave(false);
    setRemovalError(undefined);
    rename.clearError();
    add.clearError();
    leave.clearError();
    setIsOpen(true);
    dialog?.showModal();
  };

  return (
    <>
      <button type="button" class="btn px-3 hover:bg-surface-sunken" aria-haspopup="dialog" onClick={openDialog}>
        Group settings
      </button>
      <dialog ref={dialog} aria-labelledby="group-settings-title" onClose={() => setIsOpen(false)} class="dialog-panel">
        <div class="flex flex-col gap-5 p-5">
          <div class="flex items-center justify-between gap-2">
            <h2 id="group-settings-title" class="text-lg font-semibold">
              Group settings
            </h2>
            <button type="button" class="btn px-3 hover:bg-surface-sunken" onClick={() => dialog?.close()}>
              Close
            </button>
          </div>

          <Show when={isManager()}>
            <form class="flex flex-col gap-2" onSubmit={(event) => void rename.submit(event)}>
              <Field
                id="group-settings-name"
                label="Group name"
                value={title()}
                onInput={rename.edit(setTitle)}
                required
                maxLength={CONVERSATION_TITLE_MAX_LENGTH}
              />
              <ErrorAlert message={rename.error()} />
              <button type="submit" class="btn-primary self-end" disabled={rename.isBusy()}>
                Rename
              </button>
            </form>
          </Show>

          <section aria-labelledby="group-settings-members" class="flex flex-col gap-2">
            <h3 id="group-settings-members" class="text-sm font-medium text-fg">
              Members ({members().length})
            </h3>
            <ul class="max-h-60 divide-y divide-line overflow-y-auto rounded-xl border border-line">
              <For each={members()}>
                {(member) => {
                  const isMe = () => member.userId === props.myId;
                  const status = () => (isMe() ? 'online' : presenceStatusOf(props.presence[member.userId]));
                  return (
                    <li class="flex items-center gap-3 px-3 py-2 text-sm" data-testid="group-member">
                      <span
                        class={`h-2.5 w-2.5 flex-none rounded-full ${PRESENCE_DOT[status()]}`}
                        data-presence={status()}
                      >
                        <span class="sr-only">{PRESENCE_WORDS[status()]}</span>
                      </span>
                      <span class="min-w-0 flex-1 truncate">
                        <span class="font-medium">{member.displayName}</span>
                        {isMe() ? ' (you)' : ''} <span class="text-fg-muted">@{member.username}</span>
                      </span>
                      <span class="flex-none text-xs text-fg-muted">{ROLE_NAMES[member.role]}</span>
                      <Show when={canRemove(member, props.myId, props.conversation.myRole)}>
                        <button
                          type="button"
                          class="btn px-2 py-1 text-xs text-danger hover:bg-danger-soft"
                          aria-label={`Remove ${member.displayName}`}
                          onClick={() => void remove(member.userId)}
                        >
                          Remove
                        </button>
                      </Show>
                    </li>
                  );
                }}
              </For>
            </ul>
            <ErrorAlert message={removalError()} />
          </section>

          <Show when={isManager()}>
            <form class="flex flex-col gap-2" onSubmit={(event) => void add.submit(event)}>
              <Show when={isOpen()}>
                <PeoplePicker
                  id="group-settings-add"
                  label="Add people"
                  myId={props.myId}
                  picked={newcomers()}
                  onChange={pickNewcomers}
                  isMultiple
                  excludedIds={memberIds()}
                />
              </Show>
              <ErrorAlert message={add.error()} />
              <button type="submit" class="btn-primary self-end" disabled={add.isBusy()}>
                Add
              </button>
            </form>
          </Show>

          <div class="border-t border-line pt-4">
            <Show
              when={isConfirmingLeave()}
              fallback={
                <button type="button" class="btn px-3 text-danger hover:bg-danger-soft" onClick={askToLeave}>
                  Leave group
                </button>
              }
            >
              <div class="flex flex-col gap-2">
                <p class="text-sm">
                  Leave “{props.conversation.title}”? Its messages stop coming to you, and only its owner or an admin
                  can add you back.
                </p>
                <div class="flex justify-end gap-2">
                  <button
                    ref={stayButton}
                    type="button"
                    class="btn hover:bg-surface-sunken"
                    onClick={() => setIsConfirmingLeave(false)}
                  >
                    Stay
                  </button>
                  <button
                    type="button"
                    class="btn bg-red-600 text-white hover:bg-red-700"
                    disabled={leave.isBusy()}
                    onClick={() => void leave.submit()}
                  >
                    Leave
                  </button>
                </div>
                <ErrorAlert message={leave.error()} />
              </div>
            </Show>
          </div>
        </div>
      </dialog>
    </>
  );
}
