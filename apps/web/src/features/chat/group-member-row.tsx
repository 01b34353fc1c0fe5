import type { Member, MemberRole, UserStatus } from '@gopherchat/api';
import { createSignal, For, Show } from 'solid-js';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { statusLine } from '../status/status-times.ts';
import type { PresenceStatus } from './last-seen.ts';
import { canMakeAdmin, canMakeOwner, canRemove, canRemoveAdmin } from './permissions.ts';

const ROLE_NAMES: Record<MemberRole, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };
const PRESENCE_DOT: Record<PresenceStatus, string> = {
  online: 'bg-emerald-500',
  // A ring, not a fill: away reads apart from online without colour alone.
  away: 'border-2 border-amber-500',
  offline: 'bg-line-strong',
  unknown: 'border border-line-strong',
};
const PRESENCE_WORDS: Record<PresenceStatus, string> = {
  online: 'Online:',
  away: 'Away:',
  offline: 'Offline:',
  unknown: 'Presence unknown:',
};

/** What may be done to a member: each runs at once, or asks first when it has a `confirm` question. */
interface MemberAction {
  label: string;
  run: () => Promise<void>;
  confirm?: { question: string; yes: string };
  isDanger?: boolean;
}

/** What the group's settings can do to its members; each resolves to a user-readable error, or undefined. */
export interface MemberChanges {
  setRole: (userId: string, role: 'admin' | 'member') => Promise<string | undefined>;
  makeOwner: (userId: string) => Promise<string | undefined>;
  remove: (userId: string) => Promise<string | undefined>;
}

/**
 * One member in a group's settings: presence, name and role, and, when my
 * role allows anything, a "Manage" button that opens the actions under the
 * name (in the row, not a popup, which the scrolling list would cut off).
 * Removing someone and handing the group on ask first.
 */
export function GroupMemberRow(props: {
  member: Member;
  myId: string;
  myRole: MemberRole;
  presence: PresenceStatus;
  /** Their picture (looked up with their status); initials without one. */
  avatarKey: string | null | undefined;
  /** What they say they are up to, if anything. */
  status: UserStatus | undefined;
  changes: MemberChanges;
  onError: (message: string | undefined) => void;
}) {
  const [isOpen, setIsOpen] = createSignal(false);
  const [confirming, setConfirming] = createSignal<MemberAction>();
  const [isBusy, setIsBusy] = createSignal(false);
  const isMe = () => props.member.userId === props.myId;
  const name = () => props.member.displayName;

  const actions = (): MemberAction[] => {
    const { member, myId, myRole, changes } = props;
    const reported = (change: Promise<string | undefined>) => change.then(props.onError);
    return [
      ...(canMakeAdmin(member, myRole)
        ? [{ label: 'Make admin', run: () => reported(changes.setRole(member.userId, 'admin')) }]
        : []),
      ...(canRemoveAdmin(member, myId, myRole)
        ? [
            {
              label: isMe() ? 'Step down as admin' : 'Remove as admin',
              run: () => reported(changes.setRole(member.userId, 'member')),
            },
          ]
        : []),
      ...(canMakeOwner(member, myId, myRole)
        ? [
            {
              label: 'Make owner',
              confirm: { question: `Make ${name()} the owner? You will stay on as an admin.`, yes: 'Make owner' },
              run: () => reported(changes.makeOwner(member.userId)),
            },
          ]
        : []),
      ...(canRemove(member, myId, myRole)
        ? [
            {
              label: 'Remove from group',
              confirm: { question: `Remove ${name()} from the group?`, yes: 'Remove' },
              isDanger: true,
              run: () => reported(changes.remove(member.userId)),
            },
          ]
        : []),
    ];
  };

  async function choose(action: MemberAction) {
    if (action.confirm && confirming() !== action) {
      setConfirming(action);
      return;
    }
    setIsBusy(true);
    try {
      await action.run();
    } finally {
      setIsBusy(false);
      setConfirming(undefined);
      setIsOpen(false);
    }
  }

  const buttonClass = 'btn px-2 py-1 text-xs hover:bg-surface-sunken';

  return (
    <li class="px-3 py-2 text-sm" data-testid="group-member">
      <div class="flex items-center gap-3">
        <span class="relative flex-none">
          <Avatar name={name()} avatarKey={props.avatarKey} class="h-8 w-8 bg-line-strong text-xs text-fg" />
          <span
            class={`absolute -bottom-0.5 -right-0.5 h-3 w-3 rounded-full bg-clip-padding ring-2 ring-surface-raised ${PRESENCE_DOT[props.presence]}`}
            data-presence={props.presence}
          >
            <span class="sr-only">{PRESENCE_WORDS[props.presence]}</span>
          </span>
        </span>
        <span class="min-w-0 flex-1 truncate">
          <span class="font-medium">{name()}</span>
          {isMe() ? ' (you)' : ''} <span class="text-fg-muted">@{props.member.username}</span>
          <Show when={props.status}>
            {(status) => <span class="block truncate text-xs text-fg-muted">{statusLine(status())}</span>}
          </Show>
        </span>
        <span class="flex-none text-xs text-fg-muted">{ROLE_NAMES[props.member.role]}</span>
        <Show when={actions().length > 0}>
          <button
            type="button"
            class={buttonClass}
            aria-expanded={isOpen()}
            aria-label={`Manage ${name()}`}
            onClick={() => {
              setIsOpen(!isOpen());
              setConfirming(undefined);
            }}
          >
            Manage
          </button>
        </Show>
      </div>
      <Show when={isOpen()}>
        <Show
          when={confirming()}
          fallback={
            <div class="mt-2 flex flex-wrap justify-end gap-1">
              <For each={actions()}>
                {(action) => (
                  <button
                    type="button"
                    class={`${buttonClass} border border-line ${action.isDanger ? 'text-danger hover:bg-danger-soft' : ''}`}
                    disabled={isBusy()}
                    onClick={() => void choose(action)}
                  >
                    {action.label}
                  </button>
                )}
              </For>
            </div>
          }
        >
          {(action) => (
            <fieldset class="mt-2 flex flex-wrap items-center justify-end gap-2" aria-label={action().label}>
              <p class="min-w-0 flex-1 text-xs">{action().confirm?.question}</p>
              <button type="button" class={buttonClass} onClick={() => setConfirming(undefined)}>
                Cancel
              </button>
              <button
                type="button"
                class={`btn px-2 py-1 text-xs text-white ${action().isDanger ? 'bg-red-600 hover:bg-red-700' : 'bg-accent hover:bg-accent-strong'}`}
                disabled={isBusy()}
                onClick={() => void choose(action())}
              >
                {action().confirm?.yes}
              </button>
            </fieldset>
          )}
        </Show>
      </Show>
    </li>
  );
}
