import { describe, expect, it } from 'bun:test';
import type { MemberRole } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { backends, eventsOf, eventsOfKind, type Person, person } from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

/** Ada's group with Bob, Cy and Dee in it, all members. */
async function crew(t: TestServer) {
  const [ada, bob, cy, dee] = [await person(t), await person(t), await person(t), await person(t)];
  const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
    title: 'Crew',
    memberIds: [bob.id, cy.id, dee.id],
  });
  const setRole = (who: Person, whom: Person, role: 'admin' | 'member') =>
    who.api.conversations.setRole.mutate({ conversationId, userId: whom.id, role });
  const handOver = (who: Person, whom: Person) =>
    who.api.conversations.transferOwnership.mutate({ conversationId, userId: whom.id });
  const roles = async () => {
    const members = await ada.api.conversations.members.query({ conversationId });
    return Object.fromEntries(members.map((member) => [member.userId, member.role])) as Record<string, MemberRole>;
  };
  return { ada, bob, cy, dee, conversationId, setRole, handOver, roles };
}

describe.each(backends)('group roles over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'group-roles', database, bus });

  it('lets the owner and admins make admins, and only the owner take the role away', async () => {
    await using t = await start();
    const { ada, bob, cy, dee, conversationId, setRole, roles } = await crew(t);

    await setRole(ada, bob, 'admin');
    // An admin makes another.
    const cysView = await setRole(bob, cy, 'admin');
    expect(cysView.myRole).toBe('admin');
    expect(await roles()).toEqual({ [ada.id]: 'owner', [bob.id]: 'admin', [cy.id]: 'admin', [dee.id]: 'member' });

    // An admin does not demote another; a member promotes nobody.
    expect(await setRole(bob, cy, 'member').catch(toAppError)).toMatchObject({ appCode: 'FORBIDDEN' });
    expect(await setRole(dee, dee, 'admin').catch(toAppError)).toMatchObject({ appCode: 'FORBIDDEN' });
    // The owner's role is changed by handing the group on, not here.
    expect(await setRole(bob, ada, 'member').catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });

    // An admin may step down; the owner may take it away.
    await setRole(cy, cy, 'member');
    await setRole(ada, bob, 'member');
    expect(await roles()).toMatchObject({ [bob.id]: 'member', [cy.id]: 'member' });
    // A member again, Bob may no longer do what admins do.
    const rename = await bob.api.conversations.rename.mutate({ conversationId, title: 'Mine' }).catch(toAppError);
    expect(rename).toMatchObject({ appCode: 'FORBIDDEN' });
  });

  it('hands the group to another member, who becomes the owner while the old one stays as an admin', async () => {
    await using t = await start();
    const { ada, bob, cy, handOver, roles } = await crew(t);
    expect(await handOver(bob, cy).catch(toAppError)).toMatchObject({ appCode: 'FORBIDDEN' });
    expect(await handOver(ada, ada).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });

    const adasView = await handOver(ada, bob);
    expect(adasView.myRole).toBe('admin');
    expect(await roles()).toMatchObject({ [ada.id]: 'admin', [bob.id]: 'owner' });
    // Ada, an admin now, cannot take Bob's group back.
    expect(await handOver(ada, cy).catch(toAppError)).toMatchObject({ appCode: 'FORBIDDEN' });
    expect((await bob.api.conversations.list.query())[0]?.myRole).toBe('owner');
  });

  it('tells every member with a note and a fresh summary, and changes nothing when the role is already so', async () => {
    await using t = await start();
    const { ada, bob, dee, conversationId, setRole, handOver } = await crew(t);
    const live = eventsOf(dee);
    await live.started;

    await setRole(ada, bob, 'admin');
    await setRole(ada, bob, 'admin');
    await handOver(ada, dee);
    await live.waitFor(4);
    expect(eventsOfKind(live.events, 'conversation_updated')).toEqual([
      { kind: 'conversation_updated', conversationId },
      { kind: 'conversation_updated', conversationId },
    ]);
    expect(eventsOfKind(live.events, 'message').map(({ message }) => message.content)).toEqual([
      { type: 'system', event: { kind: 'role_changed', by: ada.id, userId: bob.id, role: 'admin' } },
      { type: 'system', event: { kind: 'owner_changed', by: ada.id, userId: dee.id } },
    ]);
    live[Symbol.dispose]();
  });

  it('refuses roles in direct conversations and for people not in the group', async () => {
    await using t = await start();
    const { ada, bob, conversationId } = await crew(t);
    const outsider = await person(t);
    const direct = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const inDirect = await ada.api.conversations.setRole
      .mutate({ conversationId: direct.id, userId: bob.id, role: 'admin' })
      .catch(toAppError);
    expect(inDirect).toMatchObject({ appCode: 'INVALID_INPUT' });
    const notIn = await ada.api.conversations.setRole
      .mutate({ conversationId, userId: outsider.id, role: 'admin' })
      .catch(toAppError);
    expect(notIn).toMatchObject({ appCode: 'NOT_FOUND' });
    const handedOut = await ada.api.conversations.transferOwnership
      .mutate({ conversationId, userId: outsider.id })
      .catch(toAppError);
    expect(handedOut).toMatchObject({ appCode: 'NOT_FOUND' });
  });
});
