import { describe, expect, it } from 'bun:test';
import type { Message } from '@gopherchat/api';
import { messageWith } from '../../testing/fake-chat.ts';
import { createMessageMenu, type MessageMenuProps } from './message-menu.ts';

const done: string[] = [];
const menuFor = (changes: Partial<MessageMenuProps> = {}) =>
  createMessageMenu({
    kind: 'group',
    myId: 'me',
    myRole: 'member',
    onReply: () => done.push('reply'),
    onCopyText: (text) => done.push(`copy ${text}`),
    onCopyLink: (seq) => done.push(`link ${seq}`),
    onForward: () => done.push('forward'),
    isSaved: (seq) => seq === 2,
    onSave: (_message, isSaving) => done.push(isSaving ? 'save' : 'unsave'),
    onPin: (_message, isPinning) => done.push(isPinning ? 'pin' : 'unpin'),
    onEdit: () => done.push('edit'),
    onDelete: () => done.push('delete'),
    recentEmoji: ['👍'],
    onToggleReaction: (_message, emoji) => done.push(`react ${emoji}`),
    onPickReaction: () => done.push('pick'),
    ...changes,
  });
const labelsOn = (message: Message, changes?: Partial<MessageMenuProps>) =>
  menuFor(changes)
    .actionsOn(message)
    .map((action) => action.label);

describe('createMessageMenu', () => {
  it('offers on my text what I may do with it, in order; on someone else’s, no edit or delete', () => {
    const mine = messageWith({ seq: 1, senderId: 'me', content: { type: 'text', text: 'hi' } });
    expect(labelsOn(mine)).toEqual(['Reply', 'Copy text', 'Copy link', 'Forward…', 'Save for later', 'Edit', 'Delete']);
    const bobs = messageWith({ seq: 2, senderId: 'bob', content: { type: 'text', text: 'yo' } });
    expect(labelsOn(bobs)).toEqual(['Reply', 'Copy text', 'Copy link', 'Forward…', 'Remove from saved']);
    // An admin pins and deletes anyone's.
    expect(labelsOn(bobs, { myRole: 'admin' })).toEqual([
      'Reply',
      'Copy text',
      'Copy link',
      'Forward…',
      'Remove from saved',
      'Pin',
      'Delete',
    ]);
  });

  it('runs each action on its message, and offers no reactions on a deleted one', () => {
    done.length = 0;
    const menu = menuFor();
    const bobs = messageWith({ seq: 3, senderId: 'bob', content: { type: 'text', text: 'yo' } });
    for (const action of menu.actionsOn(bobs)) action.run();
    menu.reactionsOn(bobs)?.onReact('🎉');
    expect(done).toEqual(['reply', 'copy yo', 'link 3', 'forward', 'save', 'react 🎉']);
    expect(menu.reactionsOn(messageWith({ seq: 4, senderId: 'bob', content: { type: 'deleted' } }))).toBeUndefined();
  });
});
