import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { clientId, type Person, person, text } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

/** Refills so slowly (one message per 1 000 s) that no test sees a refill, however busy the machine. */
const NO_REFILL = '0.001';

const send = (who: Person, conversationId: string, body: string) =>
  who.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(body) }).catch(toAppError);

describe('send limits', () => {
  it('refuses a sender past their burst with RATE_LIMITED, and nobody else (sends had no limit at all)', async () => {
    await using t = await startTestServer({
      label: 'send-limits-user',
      env: { SEND_BURST_PER_USER: '3', SENDS_PER_SECOND_PER_USER: NO_REFILL },
    });
    const [ada, bob] = [await person(t), await person(t)];
    const { id } = await ada.api.conversations.createGroup.mutate({ title: 'Limits', memberIds: [bob.id] });
    for (const body of ['one', 'two', 'three'])
      expect(await send(ada, id, body)).toMatchObject({ content: text(body) });
    expect(await send(ada, id, 'four')).toMatchObject({
      appCode: 'RATE_LIMITED',
      userMessage: expect.stringContaining('faster than the server takes'),
    });
    expect(await send(bob, id, 'mine')).toMatchObject({ content: text('mine') });
  });

  it('refuses a conversation past its burst, which an outsider cannot spend', async () => {
    await using t = await startTestServer({
      label: 'send-limits-conversation',
      env: { SEND_BURST_PER_CONVERSATION: '4', SENDS_PER_SECOND_PER_CONVERSATION: NO_REFILL },
    });
    const [ada, bob, eve] = [await person(t), await person(t), await person(t)];
    const { id } = await ada.api.conversations.createGroup.mutate({ title: 'Busy', memberIds: [bob.id] });
    for (const attempt of ['a', 'b', 'c', 'd', 'e']) {
      expect(await send(eve, id, attempt)).toMatchObject({ appCode: 'NOT_FOUND' });
    }
    for (const [who, body] of [
      [ada, 'one'],
      [bob, 'two'],
      [ada, 'three'],
      [bob, 'four'],
    ] as const) {
      expect(await send(who, id, body)).toMatchObject({ content: text(body) });
    }
    expect(await send(bob, id, 'five')).toMatchObject({ appCode: 'RATE_LIMITED' });
    // Another conversation has a budget of its own.
    const { id: other } = await ada.api.conversations.createGroup.mutate({ title: 'Quiet', memberIds: [bob.id] });
    expect(await send(bob, other, 'elsewhere')).toMatchObject({ content: text('elsewhere') });
  });
});
