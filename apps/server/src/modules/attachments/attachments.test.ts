import { describe, expect, it } from 'bun:test';
import type { AppErrorData } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import sharp from 'sharp';
import { eventually } from '../../testing/collect.ts';
import { allEventsOf, backends, clientId, eventsOfKind, person } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';
import { testMp3, testMp4, testPhoto, uploadFile, uploadWithGrant } from '../../testing/uploads.ts';

/** The error a call that must fail failed with. */
async function refusal(call: Promise<unknown>): Promise<AppErrorData> {
  return call.then(() => {
    throw new Error('expected the call to be refused');
  }, toAppError);
}

describe.each(backends)('attachments over $name', ({ database, bus }) => {
  const start = (env: Record<string, string> = {}) => startTestServer({ label: 'attachments', database, bus, env });

  it('goes grant → direct upload → confirm → thumbnail → attach → a member downloads; an outsider cannot', async () => {
    await using t = await start();
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using adaEvents = allEventsOf(ada);
    using bobEvents = allEventsOf(bob);
    await Promise.all([adaEvents.started, bobEvents.started]);

    const original = await testPhoto();
    const attachmentId = await uploadFile(ada.api, original, { contentType: 'image/jpeg', fileName: 'Holiday.jpg' });
    const confirmed = await ada.api.attachments.confirm.mutate({ attachmentId });
    expect(confirmed).toMatchObject({ kind: 'image', width: 1200, height: 800, fileName: 'Holiday.jpg' });
    expect(['processing', 'ready']).toContain(confirmed.status.state);

    await eventually(
      () => eventsOfKind(adaEvents.events, 'attachment_updated').some((event) => event.attachment.state === 'ready'),
      'processing done',
      15_000,
    );
    const ready = eventsOfKind(adaEvents.events, 'attachment_updated').at(-1)?.attachment;
    expect(ready).toMatchObject({ id: attachmentId, state: 'ready', hasThumbnail: true });
    expect(ready?.placeholder?.length).toBeGreaterThan(10);

    const sent = await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: { type: 'attachment', attachmentId, caption: 'Look!' },
    });
    expect(sent.content).toEqual({
      type: 'attachment',
      attachment: {
        id: attachmentId,
        fileName: 'Holiday.jpg',
        contentType: 'image/jpeg',
        byteSize: original.length,
        kind: 'image',
        width: 1200,
        height: 800,
      },
      caption: 'Look!',
    });
    await eventually(
      () => eventsOfKind(bobEvents.events, 'message').some((event) => event.message.seq === sent.seq),
      'the message, to Bob',
    );

    const [links] = await bob.api.attachments.links.query({ attachmentIds: [attachmentId] });
    expect(links).toMatchObject({ id: attachmentId, state: 'ready' });
    const download = await fetch(links?.url ?? '');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(download.headers.get('content-disposition')).toStartWith('inline; filename="Holiday.jpg"');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const served = await sharp(new Uint8Array(await download.arrayBuffer())).metadata();
    expect(served).toMatchObject({ width: 1200, height: 800, format: 'jpeg' });
    expect(served.exif).toBeUndefined();
    // Shown in the page, and saved with a link of its own: the same clean copy.
    const saved = await fetch(links?.downloadUrl ?? '');
    expect(saved.headers.get('content-disposition')).toStartWith('attachment; filename="Holiday.jpg"');
    expect((await sharp(new Uint8Array(await saved.arrayBuffer())).metadata()).exif).toBeUndefined();

    const thumbnail = await sharp(
      new Uint8Array(await (await fetch(links?.thumbnailUrl ?? '')).arrayBuffer()),
    ).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 480, height: 320 });

    expect(await eve.api.attachments.links.query({ attachmentIds: [attachmentId] })).toEqual([]);
    const stolen = await eve.api.messages.send
      .mutate({ conversationId, clientMessageId: clientId(), content: { type: 'attachment', attachmentId } })
      .catch(toAppError);
    expect(stolen).toMatchObject({ appCode: 'NOT_FOUND' });
  });

  it('offers a file that is not an image for download, with no thumbnail', async () => {
    await using t = await start();
    const ada = await person(t);
    const text = new TextEncoder().encode('Minutes of the meeting\n');
    const attachmentId = await uploadFile(ada.api, text, { contentType: 'text/plain', fileName: 'minutes.txt' });
    const confirmed = await ada.api.attachments.confirm.mutate({ attachmentId });
    expect(confirmed).toMatchObject({ kind: 'file', status: { state: 'ready', hasThumbnail: false } });
    const [links] = await ada.api.attachments.links.query({ attachmentIds: [attachmentId] });
    expect(links?.downloadUrl).toBeNull();
    const download = await fetch(links?.url ?? '');
    expect(download.headers.get('content-disposition')).toStartWith('attachment; filename="minutes.txt"');
    expect(await download.text()).toBe('Minutes of the meeting\n');
  });

  it('plays audio and video in place, streamed from the store in ranges, and still offers them for download', async () => {
    await using t = await start();
    const ada = await person(t);
    const song = testMp3();
    const songId = await uploadFile(ada.api, song, { contentType: 'audio/mpeg', fileName: 'Song.mp3' });
    expect(await ada.api.attachments.confirm.mutate({ attachmentId: songId })).toMatchObject({
      kind: 'audio',
      width: null,
      height: null,
      status: { state: 'ready', hasThumbnail: false },
    });
    const filmId = await uploadFile(ada.api, testMp4(), { contentType: 'video/mp4', fileName: 'Film.mp4' });
    expect(await ada.api.attachments.confirm.mutate({ attachmentId: filmId })).toMatchObject({ kind: 'video' });

    const links = await ada.api.attachments.links.query({ attachmentIds: [songId, filmId] });
    const songLinks = links.find((link) => link.id === songId);
    const filmLinks = links.find((link) => link.id === filmId);
    expect(songLinks).toMatchObject({ state: 'ready', thumbnailUrl: null });
    // The disposition is signed into the link: the player's link says inline, the download's attachment.
    const dispositionOf = (url: string | null | undefined) =>
      new URL(url ?? '').searchParams.get('response-content-disposition');
    expect(dispositionOf(songLinks?.url)).toStartWith('inline; filename="Song.mp3"');
    expect(dispositionOf(songLinks?.downloadUrl)).toStartWith('attachment; filename="Song.mp3"');
    expect(dispositionOf(filmLinks?.url)).toStartWith('inline; filename="Film.mp4"');
    expect(dispositionOf(filmLinks?.downloadUrl)).toStartWith('attachment; filename="Film.mp4"');

    // A player asks for the file a piece at a time, from the store, with its checked type and no guessing.
    const piece = await fetch(songLinks?.url ?? '', { headers: { range: 'bytes=417-833' } });
    expect(piece.status).toBe(206);
    expect(piece.headers.get('content-range')).toBe(`bytes 417-833/${song.length}`);
    expect(piece.headers.get('content-type')).toBe('audio/mpeg');
    expect(piece.headers.get('content-disposition')).toStartWith('inline; filename="Song.mp3"');
    expect(piece.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await piece.arrayBuffer())).toEqual(song.subarray(417, 834));
    const saved = await fetch(songLinks?.downloadUrl ?? '');
    expect(saved.headers.get('content-disposition')).toStartWith('attachment; filename="Song.mp3"');
    expect(new Uint8Array(await saved.arrayBuffer())).toEqual(song);
  });

  it('serves what was confirmed: posting the grant’s form again afterwards changes nothing members download', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const checked = new TextEncoder().encode('Meet at noon.\n');
    const grant = await ada.api.attachments.requestUpload.mutate({
      fileName: 'plan.txt',
      contentType: 'text/plain',
      byteSize: checked.length,
    });
    expect((await uploadWithGrant(grant, checked, 'text/plain')).ok).toBe(true);
    await ada.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId });
    await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: { type: 'attachment', attachmentId: grant.attachmentId },
    });

    // The grant is still valid: the same form again, other bytes of the same size and type, and a confirm.
    await uploadWithGrant(grant, new TextEncoder().encode('Meet at 3 pm.\n'), 'text/plain');
    await ada.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId });
    const [links] = await bob.api.attachments.links.query({ attachmentIds: [grant.attachmentId] });
    expect(await (await fetch(links?.url ?? '')).text()).toBe('Meet at noon.\n');
  });

  it('deletes the file with its message, for everyone', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const attachmentId = await uploadFile(ada.api, new TextEncoder().encode('secret plans\n'), {
      contentType: 'text/plain',
    });
    await ada.api.attachments.confirm.mutate({ attachmentId });
    const sent = await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: { type: 'attachment', attachmentId },
    });
    const [before] = await bob.api.attachments.links.query({ attachmentIds: [attachmentId] });
    expect((await fetch(before?.url ?? '')).status).toBe(200);

    await ada.api.messages.delete.mutate({ conversationId, seq: sent.seq });
    expect(await bob.api.attachments.links.query({ attachmentIds: [attachmentId] })).toEqual([]);
    // Even a link fetched before the deletion finds nothing now.
    expect((await fetch(before?.url ?? '')).status).toBe(404);
  });

  it('discards a file its uploader will not send, but not one already sent', async () => {
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const upload1 = await uploadFile(ada.api, new TextEncoder().encode('draft\n'), { contentType: 'text/plain' });
    await ada.api.attachments.confirm.mutate({ attachmentId: upload1 });
    const [link] = await ada.api.attachments.links.query({ attachmentIds: [upload1] });
    expect(await refusal(bob.api.attachments.discard.mutate({ attachmentId: upload1 }))).toMatchObject({
      appCode: 'NOT_FOUND',
    });
    await ada.api.attachments.discard.mutate({ attachmentId: upload1 });
    expect(await ada.api.attachments.links.query({ attachmentIds: [upload1] })).toEqual([]);
    expect((await fetch(link?.url ?? '')).status).toBe(404);

    const upload2 = await uploadFile(ada.api, new TextEncoder().encode('final\n'), { contentType: 'text/plain' });
    await ada.api.attachments.confirm.mutate({ attachmentId: upload2 });
    await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: { type: 'attachment', attachmentId: upload2 },
    });
    const sent = await refusal(ada.api.attachments.discard.mutate({ attachmentId: upload2 }));
    expect(sent).toMatchObject({
      appCode: 'INVALID_INPUT',
      userMessage: 'That file was already sent; delete its message instead.',
    });
  });

  it('rejects and deletes an upload smaller than announced, of another type, or HTML dressed up as a PNG', async () => {
    await using t = await start();
    const ada = await person(t);
    const html = new TextEncoder().encode('<html><script>alert(document.cookie)</script></html>');
    const photo = await testPhoto();
    const cases = [
      {
        bytes: photo,
        declared: { contentType: 'image/jpeg', byteSize: photo.length + 1_000 },
        says: 'not the size announced',
      },
      { bytes: photo, declared: { contentType: 'image/png' }, says: 'not really of the type image/png' },
      { bytes: html, declared: { contentType: 'image/png' }, says: 'not really of the type image/png' },
    ];
    for (const { bytes, declared, says } of cases) {
      const attachmentId = await uploadFile(ada.api, bytes, declared);
      const refused = await refusal(ada.api.attachments.confirm.mutate({ attachmentId }));
      expect(refused).toMatchObject({ appCode: 'INVALID_INPUT' });
      expect(refused.userMessage).toContain(says);
      // Nothing of it can be shared or fetched.
      expect(await ada.api.attachments.links.query({ attachmentIds: [attachmentId] })).toEqual([]);
      const send = await ada.api.messages.send
        .mutate({
          conversationId: (await ada.api.conversations.createGroup.mutate({ title: 'x', memberIds: [] })).id,
          clientMessageId: clientId(),
          content: { type: 'attachment', attachmentId },
        })
        .catch(toAppError);
      expect(send).toMatchObject({ appCode: 'INVALID_INPUT' });
    }

    // Larger than announced never arrives: the grant's policy caps the size, and the store keeps to it.
    const grant = await ada.api.attachments.requestUpload.mutate({
      fileName: 'big.jpg',
      contentType: 'image/jpeg',
      byteSize: 1_000,
    });
    expect((await uploadWithGrant(grant, photo, 'image/jpeg')).status).toBe(400);
    expect(await refusal(ada.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId }))).toMatchObject({
      appCode: 'NOT_FOUND',
    });
  });

  it('refuses a file over the size limit, a type that is not allowed, and an upload past the quota', async () => {
    await using t = await start({ MEDIA_QUOTA_MB: '1' });
    const ada = await person(t);
    const tooBig = await ada.api.attachments.requestUpload
      .mutate({ fileName: 'huge.zip', contentType: 'application/zip', byteSize: 26 * 1024 * 1024 })
      .catch(toAppError);
    expect(tooBig).toMatchObject({ appCode: 'INVALID_INPUT', userMessage: 'Files can be at most 25 MB.' });
    const script = await refusal(
      ada.api.attachments.requestUpload.mutate({
        fileName: 'page.html',
        contentType: 'text/html' as 'text/plain',
        byteSize: 10,
      }),
    );
    expect(script).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(script.userMessage).toContain('cannot be shared here');

    await ada.api.attachments.requestUpload.mutate({
      fileName: 'a.zip',
      contentType: 'application/zip',
      byteSize: 700_000,
    });
    const overQuota = await refusal(
      ada.api.attachments.requestUpload.mutate({
        fileName: 'b.zip',
        contentType: 'application/zip',
        byteSize: 700_000,
      }),
    );
    expect(overQuota).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(overQuota.userMessage).toContain('1 MB of storage');
  });

  it('will not confirm what has not arrived, nor someone else’s upload', async () => {
    await using t = await start();
    const [ada, eve] = [await person(t), await person(t)];
    const grant = await ada.api.attachments.requestUpload.mutate({
      fileName: 'later.pdf',
      contentType: 'application/pdf',
      byteSize: 100,
    });
    const early = await refusal(ada.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId }));
    expect(early).toMatchObject({ appCode: 'NOT_FOUND' });
    expect(early.userMessage).toContain('has not arrived');
    const notHers = await eve.api.attachments.confirm.mutate({ attachmentId: grant.attachmentId }).catch(toAppError);
    expect(notHers).toMatchObject({ appCode: 'NOT_FOUND' });
  });
});
