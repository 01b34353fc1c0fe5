import {
  CONVERSATION_TITLE_MAX_LENGTH,
  type ConversationSummary,
  liveStatusOf,
  type Member,
  type MemberRole,
  type UserPresence,
  type UserProfile,
  type UserStatus,
} from '@gopherchat/api';
import { createMemo, createSignal, For, onMount, Show } from 'solid-js';
import { DialogHeader } from '../../lib/ui/dialog-header.tsx';
import { ErrorAlert } from '../../lib/ui/error-alert.tsx';
import { Field } from '../../lib/ui/field.tsx';
import { createSubmission } from '../../lib/ui/submission.ts';
import { PictureSetting } from '../attachments/picture-setting.tsx';
import { PeoplePicker } from '../people/people-picker.tsx';
import { GroupMemberRow, type MemberChanges } from './group-member-row.tsx';
import { presenceStatusOf } from './last-seen.ts';
import { canManage } from './permissions.ts';

const ROLE_ORDER: Record<MemberRole, number> = { owner: 0, admin: 1, member: 2 };

/** What a group's settings show and change (see `GroupSettingsDialog`). */
export interface GroupSettingsProps {
  myId: string;
  conversation: ConversationSummary;
  members: Record<string, Member>;
  presence: Record<string, UserPresence>;
  /** Statuses people set, by user id, and a way to ask for those not known yet. */
  statuses: Record<string, UserStatus | null>;
  /** Their pictures, by user id, looked up with the statuses. */
  avatars: Record<string, string | null>;
  wantProfiles: (userIds: string[]) => void;
  onRename: (title: string) => Promise<string | undefined>;
  /** Setting (from an upload) and removing the group's picture; each resolves to an error, or undefined. */
  picture: { save: (attachmentId: string) => Promise<string | undefined>; remove: () => Promise<string | undefined> };
  onAdd: (userIds: string[]) => Promise<string | undefined>;
  changes: MemberChanges;
  onLeave: () => Promise<string | undefined>;
}

/**
 * A group's settings, from its header: its name and picture, who is in it (with roles and
 * who is online), adding and removing people, making admins, handing the
 * group to someone else, and leaving. Only what my role
 * allows is offered; the server's refusals are shown in place, in words. A
 * native modal dialog, shown as it mounts (each opening starts afresh: an
 * empty people picker, every member's actions folded); `onClose` when it
 * closes. A chunk of its own (see `GroupSettingsButton`).
 */
export default function GroupSettingsDialog(props: GroupSettingsProps & { onClose: () => void }) {
  let dialog: HTMLDialogElement | undefined;
  const [title, setTitle] = createSignal(props.conversation.title);
  const [newcomers, setNewcomers] = createSignal<UserProfile[]>([]);
  const [isConfirmingLeave, setIsConfirmingLeave] = createSignal(false);
  const [memberError, setMemberError] = createSignal<string>();
  const [pictureNotice, setPictureNotice] = createSignal('');
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
  const askToLeave = () => {
    setIsConfirmingLeave(true);
    // The button that was pressed is gone: the safe answer takes the focus.
    stayButton?.focus();
  };

  onMount(() => {
    // Their statuses: the member list brings names, not what people set.
    props.wantProfiles(memberIds());
    dialog?.showModal();
  });

  return (
    <dialog ref={dialog} aria-labelledby="group-settings-title" onClose={() => props.onClose()} class="dialog-panel">
      <div class="flex flex-col gap-5 p-5">
        <DialogHeader id="group-settings-title" title="Group settings" onClose={() => dialog?.close()} />

        <Show when={isManager()}>
          <PictureSetting
            name={props.conversation.title}
            avatarKey={props.conversation.avatarKey}
            label="Group picture"
            hint="Everyone in the group sees it."
            onSave={props.picture.save}
            onRemove={props.picture.remove}
            onChanged={setPictureNotice}
          />
          <p role="status" class="-mt-3 text-xs text-fg-muted">
            {pictureNotice()}
          </p>
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
              {(member) => (
                <GroupMemberRow
                  member={member}
                  myId={props.myId}
                  myRole={props.conversation.myRole}
                  presence={member.userId === props.myId ? 'online' : presenceStatusOf(props.presence[member.userId])}
                  status={liveStatusOf(props.statuses[member.userId], Date.now())}
                  avatarKey={props.avatars[member.userId]}
                  changes={props.changes}
                  onError={setMemberError}
                />
              )}
            </For>
          </ul>
          <ErrorAlert message={memberError()} />
        </section>

        <Show when={isManager()}>
          <form class="flex flex-col gap-2" onSubmit={(event) => void add.submit(event)}>
            <PeoplePicker
              id="group-settings-add"
              label="Add people"
              myId={props.myId}
              picked={newcomers()}
              onChange={pickNewcomers}
              isMultiple
              excludedIds={memberIds()}
            />
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
                Leave “{props.conversation.title}”? Its messages stop coming to you, and only its owner or an admin can
                add you back.
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
  );
}
