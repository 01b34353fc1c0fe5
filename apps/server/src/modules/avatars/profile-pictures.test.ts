import { describe, expect, it } from 'bun:test';
import { avatarPath } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import sharp from 'sharp';
import { eventually } from '../../testing/eventually.ts';
import { allEventsOf, backends, eventsOfKind, type Person, person } from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { confirmedPhoto, testPhoto, uploadFile } from '../../testing/uploads.ts';

const fetchAvatar = (t: TestServer, avatarKey: string) => fetch(new URL(avatarPath(avatarKey), t.url));

describe.each(backends)('profile pictures over $name', ({ database, bus }) => {
  it('makes an upload a square picture without metadata, served by key, live to others, replaced and removed', async () => {
    await using t = await startTestServer({ label: 'avatars', database, bus });
    const [ada, bob] = [await person(t), await person(t)];
    await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using bobsEvents = allEventsOf(bob);
    await bobsEvents.started;

    const attachmentId = await confirmedPhoto(ada.api, 1200, 800);
    const profile = await ada.api.users.setAvatar.mutate({ attachmentId });
    const avatarKey = profile.avatarKey ?? '';
    const served = await fetchAvatar(t, avatarKey);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toContain('immutable');
    const picture = await sharp(new Uint8Array(await served.arrayBuffer())).metadata();
    expect(picture).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(picture.exif).toBeUndefined();
    await eventually(
      () => eventsOfKind(bobsEvents.events, 'profile').some((event) => event.profile.avatarKey === avatarKey),
      'the picture, live',
    );
    // The upload was only the way in: it is gone.
    expect(await ada.api.attachments.links.query({ attachmentIds: [attachmentId] })).toEqual([]);

    const replaced = await ada.api.users.setAvatar.mutate({ attachmentId: await confirmedPhoto(ada.api, 300, 600) });
    expect(replaced.avatarKey).not.toBe(avatarKey);
    expect((await fetchAvatar(t, avatarKey)).status).toBe(404);
    expect((await ada.api.users.removeAvatar.mutate()).avatarKey).toBeNull();
    expect((await fetchAvatar(t, replaced.avatarKey ?? '')).status).toBe(404);
  });

  it('refuses what is not one’s own confirmed image, and answers 404 for keys that name nothing', async () => {
    await using t = await startTestServer({ label: 'avatars', database, bus });
    const [ada, eve] = [await person(t), await person(t)];
    const set = (who: Person, attachmentId: string) =>
      who.api.users.setAvatar.mutate({ attachmentId }).catch(toAppError);

    expect(await set(eve, await confirmedPhoto(ada.api, 100, 100))).toMatchObject({ appCode: 'NOT_FOUND' });
    const notes = await uploadFile(ada.api, new TextEncoder().encode('not a face\n'), { contentType: 'text/plain' });
    await ada.api.attachments.confirm.mutate({ attachmentId: notes });
    expect(await set(ada, notes)).toMatchObject({ appCode: 'INVALID_INPUT' });
    const unconfirmed = await uploadFile(ada.api, await testPhoto(100, 100), { contentType: 'image/jpeg' });
    expect(await set(ada, unconfirmed)).toMatchObject({ appCode: 'INVALID_INPUT' });

    for (const key of [`${crypto.randomUUID()}.webp`, '..%2Fmedia%2Fx', 'x.webp', `${crypto.randomUUID()}.png`]) {
      expect((await fetchAvatar(t, key)).status).toBe(404);
    }
  });
});
