import { describe, expect, it } from 'bun:test';
import { avatarPath, type SystemEvent } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import sharp from 'sharp';
import { eventually } from '../../testing/eventually.ts';
import { backends, eventsOf, eventsOfKind, type Person, person } from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { confirmedPhoto } from '../../testing/uploads.ts';

const fetchPicture = (t: TestServer, avatarKey: string) => fetch(new URL(avatarPath(avatarKey), t.url));

const notesIn = (events: Parameters<typeof eventsOfKind>[0]): SystemEvent[] =>
  eventsOfKind(events, 'message').flatMap(({ message }) =>
    message.content.type === 'system' ? [message.content.event] : [],
  );

describe.each(backends)('group pictures over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'group-pictures', database, bus });

  it('lets the owner and admins set and remove a square picture that members see live, with a note', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Crew',
      memberIds: [bob.id, cy.id],
    });
    using cysEvents = eventsOf(cy);
    await cysEvents.started;

    const attachmentId = await confirmedPhoto(ada.api, 900, 600);
    const set = await ada.api.conversations.setAvatar.mutate({ conversationId, attachmentId });
    const avatarKey = set.avatarKey ?? '';
    const served = await fetchPicture(t, avatarKey);
    expect(served.status).toBe(200);
    expect(await sharp(new Uint8Array(await served.arrayBuffer())).metadata()).toMatchObject({
      format: 'webp',
      width: 256,
      height: 256,
    });
    // Members learn of it as of a rename: the summary changed, and a note says who did it.
    await eventually(
      () => notesIn(cysEvents.events).some((note) => note.kind === 'picture_changed' && !note.isRemoved),
      'the note',
    );
    expect(eventsOfKind(cysEvents.events, 'conversation_updated')).toContainEqual({
      kind: 'conversation_updated',
      conversationId,
    });
    const cysList = await cy.api.conversations.list.query();
    expect(cysList.find((summary) => summary.id === conversationId)?.avatarKey).toBe(avatarKey);
    // The upload was only the way in.
    expect(await ada.api.attachments.links.query({ attachmentIds: [attachmentId] })).toEqual([]);

    // An admin replaces it; the one replaced is gone.
    await ada.api.conversations.setRole.mutate({ conversationId, userId: bob.id, role: 'admin' });
    const replaced = await bob.api.conversations.setAvatar.mutate({
      conversationId,
      attachmentId: await confirmedPhoto(bob.api, 300, 500),
    });
    expect(replaced.avatarKey).not.toBeNull();
    expect(replaced.avatarKey).not.toBe(avatarKey);
    expect((await fetchPicture(t, avatarKey)).status).toBe(404);

    const removed = await bob.api.conversations.removeAvatar.mutate({ conversationId });
    expect(removed.avatarKey).toBeNull();
    expect((await fetchPicture(t, replaced.avatarKey ?? '')).status).toBe(404);
    await eventually(
      () => notesIn(cysEvents.events).some((note) => note.kind === 'picture_changed' && note.isRemoved),
      'the note of its removal',
    );
  });

  it('refuses members, outsiders, direct conversations and images that are not the caller’s', async () => {
    await using t = await start();
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Crew',
      memberIds: [bob.id],
    });
    const setBy = async (who: Person, attachmentId: string, id = conversationId) =>
      who.api.conversations.setAvatar.mutate({ conversationId: id, attachmentId }).catch(toAppError);

    expect(await setBy(bob, await confirmedPhoto(bob.api, 100, 100))).toMatchObject({ appCode: 'FORBIDDEN' });
    expect(await setBy(eve, await confirmedPhoto(eve.api, 100, 100))).toMatchObject({ appCode: 'NOT_FOUND' });
    const removal = await bob.api.conversations.removeAvatar.mutate({ conversationId }).catch(toAppError);
    expect(removal).toMatchObject({ appCode: 'FORBIDDEN' });
    // Someone else's upload is not the owner's to use.
    expect(await setBy(ada, await confirmedPhoto(bob.api, 100, 100))).toMatchObject({ appCode: 'NOT_FOUND' });
    const direct = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    expect(await setBy(ada, await confirmedPhoto(ada.api, 100, 100), direct.id)).toMatchObject({
      appCode: 'INVALID_INPUT',
    });
    // Nothing changed.
    const summary = (await ada.api.conversations.list.query()).find((item) => item.id === conversationId);
    expect(summary?.avatarKey).toBeNull();
    // Regression: removing a picture the group did not have wrote a note that it was removed.
    const unchanged = await ada.api.conversations.removeAvatar.mutate({ conversationId });
    expect(unchanged.lastSeq).toBe(summary?.lastSeq ?? -1);
  });
});
