import { describe, expect, it } from 'bun:test';
import type { Member, MemberRole, MessageContent } from '@gopherchat/api';
import { messageWith } from '../../testing/fake-chat.ts';
import {
  canDelete,
  canEdit,
  canMakeAdmin,
  canMakeOwner,
  canRemove,
  canRemoveAdmin,
  canReplyTo,
} from './permissions.ts';

const message = (senderId: string | null, content: MessageContent) => messageWith({ seq: 1, senderId, content });

const text = { type: 'text', text: 'hello' } as const;
const deleted = { type: 'deleted' } as const;
const photo = {
  type: 'attachment',
  attachment: {
    id: 'a1',
    fileName: 'trip.jpg',
    contentType: 'image/jpeg',
    byteSize: 1000,
    kind: 'image',
    width: 3,
    height: 2,
  },
  caption: null,
} as const;
const note = { type: 'system', event: { kind: 'member_left', userId: 'bob' } } as const;

const member = (userId: string, role: MemberRole): Member => ({
  userId,
  username: userId,
  displayName: userId,
  role,
  lastDeliveredSeq: 0,
  lastReadSeq: 0,
});

describe('who may do what with a message', () => {
  it('lets anyone reply to text and files, but not to a tombstone or a system note', () => {
    expect(canReplyTo(message('bob', text))).toBe(true);
    expect(canReplyTo(message('bob', photo))).toBe(true);
    expect(canReplyTo(message('bob', deleted))).toBe(false);
    expect(canReplyTo(message(null, note))).toBe(false);
  });

  it('lets only the sender edit, and only text that is still there', () => {
    expect(canEdit(message('ada', text), 'ada')).toBe(true);
    expect(canEdit(message('bob', text), 'ada')).toBe(false);
    expect(canEdit(message('ada', deleted), 'ada')).toBe(false);
    // The server keeps files as they were sent; a caption is not edited either.
    expect(canEdit(message('ada', photo), 'ada')).toBe(false);
    // What I forwarded are someone else's words.
    expect(canEdit(message('ada', { ...text, forwardedFrom: { senderName: 'Bob' } }), 'ada')).toBe(false);
  });

  it('lets a member delete their own messages, and owners and admins anyone’s', () => {
    expect(canDelete(message('ada', text), 'ada', 'member')).toBe(true);
    expect(canDelete(message('bob', text), 'ada', 'member')).toBe(false);
    expect(canDelete(message('bob', text), 'ada', 'admin')).toBe(true);
    expect(canDelete(message('bob', text), 'ada', 'owner')).toBe(true);
    expect(canDelete(message('ada', photo), 'ada', 'member')).toBe(true);
    expect(canDelete(message('bob', photo), 'ada', 'member')).toBe(false);
    expect(canDelete(message('bob', photo), 'ada', 'admin')).toBe(true);
  });

  it('never offers to delete what is already gone, or a system note', () => {
    expect(canDelete(message('ada', deleted), 'ada', 'owner')).toBe(false);
    expect(canDelete(message(null, note), 'ada', 'owner')).toBe(false);
  });
});

describe('who may remove whom from a group', () => {
  it('lets the owner remove admins and members, but not themself (that is leaving)', () => {
    expect(canRemove(member('bob', 'admin'), 'ada', 'owner')).toBe(true);
    expect(canRemove(member('bob', 'member'), 'ada', 'owner')).toBe(true);
    expect(canRemove(member('ada', 'owner'), 'ada', 'owner')).toBe(false);
  });

  it('lets an admin remove members only: not the owner, not another admin', () => {
    expect(canRemove(member('cy', 'member'), 'bob', 'admin')).toBe(true);
    expect(canRemove(member('ada', 'owner'), 'bob', 'admin')).toBe(false);
    expect(canRemove(member('dee', 'admin'), 'bob', 'admin')).toBe(false);
  });

  it('lets a member remove nobody', () => {
    expect(canRemove(member('cy', 'member'), 'bob', 'member')).toBe(false);
  });
});

describe('who may change whose role in a group', () => {
  it('lets the owner and admins make members admins, and nobody else', () => {
    expect(canMakeAdmin(member('cy', 'member'), 'owner')).toBe(true);
    expect(canMakeAdmin(member('cy', 'member'), 'admin')).toBe(true);
    expect(canMakeAdmin(member('cy', 'member'), 'member')).toBe(false);
    expect(canMakeAdmin(member('bob', 'admin'), 'owner')).toBe(false);
    expect(canMakeAdmin(member('ada', 'owner'), 'admin')).toBe(false);
  });

  it('lets the owner take the admin role away, and an admin give up only their own', () => {
    expect(canRemoveAdmin(member('bob', 'admin'), 'ada', 'owner')).toBe(true);
    expect(canRemoveAdmin(member('bob', 'admin'), 'bob', 'admin')).toBe(true);
    expect(canRemoveAdmin(member('dee', 'admin'), 'bob', 'admin')).toBe(false);
    expect(canRemoveAdmin(member('cy', 'member'), 'ada', 'owner')).toBe(false);
  });

  it('lets only the owner hand the group to someone else', () => {
    expect(canMakeOwner(member('cy', 'member'), 'ada', 'owner')).toBe(true);
    expect(canMakeOwner(member('ada', 'owner'), 'ada', 'owner')).toBe(false);
    expect(canMakeOwner(member('cy', 'member'), 'bob', 'admin')).toBe(false);
  });
});
