import type { ConversationKind, MemberRole, Message } from '@gopherchat/api';
import type { MenuAction } from '../../lib/ui/actions-menu.tsx';
import type { QuickReactions } from './message-actions.tsx';
import { canDelete, canEdit, canForward, canPin, canReactTo, canReplyTo, canSave } from './permissions.ts';

/** What a message's menu needs to know and do (see `MessageList`'s props of the same names). */
export interface MessageMenuProps {
  kind: ConversationKind;
  myId: string;
  myRole: MemberRole;
  onReply: (message: Message) => void;
  onCopyText: (text: string) => void;
  onCopyLink: (seq: number) => void;
  onForward: (message: Message) => void;
  isSaved: (seq: number) => boolean;
  onSave: (message: Message, isSaving: boolean) => void;
  onPin: (message: Message, isPinning: boolean) => void;
  onEdit: (message: Message) => void;
  onDelete: (message: Message) => void;
  recentEmoji: readonly string[];
  onToggleReaction: (message: Message, emoji: string) => void;
  onPickReaction: (message: Message, anchor: HTMLElement) => void;
}

/**
 * What a loaded message offers me, from what I may do with it
 * (`permissions.ts`): the actions of its menu, in their order, and the quick
 * reactions (none on a message that takes none).
 */
export function createMessageMenu(props: MessageMenuProps) {
  const actionsOn = (message: Message): MenuAction[] => [
    ...(canReplyTo(message) ? [{ label: 'Reply', run: () => props.onReply(message) }] : []),
    ...(message.content.type === 'text'
      ? [
          {
            label: 'Copy text',
            run: () => props.onCopyText(message.content.type === 'text' ? message.content.text : ''),
          },
        ]
      : []),
    ...(message.content.type !== 'system' ? [{ label: 'Copy link', run: () => props.onCopyLink(message.seq) }] : []),
    ...(canForward(message) ? [{ label: 'Forward…', run: () => props.onForward(message) }] : []),
    ...(canSave(message)
      ? [
          props.isSaved(message.seq)
            ? { label: 'Remove from saved', run: () => props.onSave(message, false) }
            : { label: 'Save for later', run: () => props.onSave(message, true) },
        ]
      : []),
    ...(canPin(message, props.kind, props.myRole)
      ? [{ label: message.pinnedAt ? 'Unpin' : 'Pin', run: () => props.onPin(message, !message.pinnedAt) }]
      : []),
    ...(canEdit(message, props.myId) ? [{ label: 'Edit', run: () => props.onEdit(message) }] : []),
    ...(canDelete(message, props.myId, props.myRole)
      ? [{ label: 'Delete', confirm: 'Delete for everyone?', run: () => props.onDelete(message) }]
      : []),
  ];

  const reactionsOn = (message: Message): QuickReactions | undefined =>
    canReactTo(message)
      ? {
          recent: props.recentEmoji,
          onReact: (emoji) => props.onToggleReaction(message, emoji),
          onMore: (anchor) => props.onPickReaction(message, anchor),
        }
      : undefined;

  return { actionsOn, reactionsOn };
}
