import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { backends, clientId, person, text } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';
import { uploadFile } from '../../testing/uploads.ts';

describe.each(backends)('forwarding over $name', ({ database, bus }) => {
  const start = () => startTestServer({ label: 'forwards', database, bus });

  it('sends a copy of the text, in the original sender’s name, once per client id, and not to be edited', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    const { id: crew } = await ada.api.conversations.createGroup.mutate({ title: 'Crew', memberIds: [bob.id] });
    const { id: withCy } = await bob.api.conversations.createDirect.mutate({ userId: cy.id });
    const { seq } = await ada.api.messages.send.mutate({
      conversationId: crew,
      clientMessageId: clientId(),
      content: text('Launch is at noon'),
    });

    const request = { conversationId: crew, seq, toConversationId: withCy, clientMessageId: clientId() };
    const forwarded = await bob.api.messages.forward.mutate(request);
    expect(forwarded).toMatchObject({
      conversationId: withCy,
      senderId: bob.id,
      content: { type: 'text', text: 'Launch is at noon', forwardedFrom: { senderName: ada.username } },
    });
    // A retry is the same message.
    expect((await bob.api.messages.forward.mutate(request)).id).toBe(forwarded.id);
    expect((await cy.api.messages.history.query({ conversationId: withCy })).messages.at(-1)).toMatchObject({
      id: forwarded.id,
    });

    // Forwarded on again, it still names who wrote it.
    const { id: cyAlone } = await cy.api.conversations.createGroup.mutate({ title: 'Notes', memberIds: [] });
    const again = await cy.api.messages.forward.mutate({
      conversationId: withCy,
      seq: forwarded.seq,
      toConversationId: cyAlone,
      clientMessageId: clientId(),
    });
    expect(again.content).toMatchObject({ forwardedFrom: { senderName: ada.username } });

    const edit = await bob.api.messages.edit
      .mutate({ conversationId: withCy, seq: forwarded.seq, content: text('Launch is at one') })
      .catch(toAppError);
    expect(edit).toMatchObject({ appCode: 'INVALID_INPUT', userMessage: 'A forwarded message cannot be edited.' });
  });

  it('refuses outsiders of either conversation, notes and deleted messages', async () => {
    await using t = await start();
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id: crew } = await ada.api.conversations.createGroup.mutate({ title: 'Crew', memberIds: [bob.id] });
    const { id: withEve } = await eve.api.conversations.createDirect.mutate({ userId: ada.id });
    const { seq } = await ada.api.messages.send.mutate({
      conversationId: crew,
      clientMessageId: clientId(),
      content: text('internal'),
    });
    const forward = (who: typeof ada, from: { conversationId: string; seq: number }, to: string) =>
      who.api.messages.forward.mutate({ ...from, toConversationId: to, clientMessageId: clientId() }).catch(toAppError);

    // Eve is not in the crew: she cannot forward from it, nor Bob into her conversation.
    expect(await forward(eve, { conversationId: crew, seq }, withEve)).toMatchObject({ appCode: 'NOT_FOUND' });
    expect(await forward(bob, { conversationId: crew, seq }, withEve)).toMatchObject({ appCode: 'NOT_FOUND' });
    expect(await forward(ada, { conversationId: crew, seq: 1 }, withEve)).toMatchObject({ appCode: 'INVALID_INPUT' });
    await ada.api.messages.delete.mutate({ conversationId: crew, seq });
    expect(await forward(ada, { conversationId: crew, seq }, withEve)).toMatchObject({ appCode: 'INVALID_INPUT' });
  });

  it('forwards a file as a copy of the forwarder’s, which outlives the original', async () => {
    await using t = await start();
    const [ada, bob, cy] = [await person(t), await person(t), await person(t)];
    const { id: withBob } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const { id: withCy } = await bob.api.conversations.createDirect.mutate({ userId: cy.id });
    const minutes = new TextEncoder().encode('Minutes of the meeting\n');
    const attachmentId = await uploadFile(ada.api, minutes, { contentType: 'text/plain', fileName: 'minutes.txt' });
    await ada.api.attachments.confirm.mutate({ attachmentId });
    const { seq } = await ada.api.messages.send.mutate({
      conversationId: withBob,
      clientMessageId: clientId(),
      content: { type: 'attachment', attachmentId, caption: 'From Monday' },
    });

    const request = { conversationId: withBob, seq, toConversationId: withCy, clientMessageId: clientId() };
    const forwarded = await bob.api.messages.forward.mutate(request);
    expect(forwarded.content).toMatchObject({
      type: 'attachment',
      caption: 'From Monday',
      attachment: { fileName: 'minutes.txt', byteSize: minutes.length },
      forwardedFrom: { senderName: ada.username },
    });
    const copyId = forwarded.content.type === 'attachment' ? forwarded.content.attachment.id : '';
    expect(copyId).not.toBe(attachmentId);
    // A retry neither copies again nor sends again.
    expect(await bob.api.messages.forward.mutate(request)).toMatchObject({ id: forwarded.id });

    await ada.api.messages.delete.mutate({ conversationId: withBob, seq });
    expect(await bob.api.attachments.links.query({ attachmentIds: [attachmentId] })).toEqual([]);
    const [links] = await cy.api.attachments.links.query({ attachmentIds: [copyId] });
    expect(await (await fetch(links?.url ?? '')).text()).toBe('Minutes of the meeting\n');
  });
});
