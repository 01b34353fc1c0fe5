import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { backends, clientId, person, text } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

const NUL = 'nul \u0000 inside';
const LONE_SURROGATE = 'half an emoji \ud83d';

describe.each(backends)('text PostgreSQL cannot store, over $name', ({ database, bus }) => {
  const start = () =>
    startTestServer({ label: 'unstorable-text', database, bus, env: { REGISTER_LIMIT_PER_IP: '100' } });

  async function groupOf(t: Awaited<ReturnType<typeof start>>, size: number) {
    const people = await Promise.all(Array.from({ length: size }, () => person(t)));
    const [owner, ...others] = people as [(typeof people)[0], ...typeof people];
    const { id: conversationId } = await owner.api.conversations.createGroup.mutate({
      title: 'Batch',
      memberIds: others.map((other) => other.id),
    });
    return { people, conversationId };
  }

  it('refuses a message with a NUL with a typed error and sends everyone else’s (one NUL failed 20 of 20 sends)', async () => {
    await using t = await start();
    const { people, conversationId } = await groupOf(t, 12);
    const outcomes = await Promise.all(
      people.map((sender, index) =>
        sender.api.messages.send
          .mutate({ conversationId, clientMessageId: clientId(), content: text(index === 7 ? NUL : `hello ${index}`) })
          .catch(toAppError),
      ),
    );
    outcomes.forEach((outcome, index) => {
      if (index === 7) {
        expect(outcome).toMatchObject({ appCode: 'INVALID_INPUT', userMessage: expect.stringContaining('NUL') });
      } else expect(outcome).toMatchObject({ content: text(`hello ${index}`) });
    });
    const page = await people[0]?.api.messages.history.query({ conversationId, limit: 50 });
    // The group's "created" note and the 11 messages, no gap in the seqs.
    expect(page?.messages.map((message) => message.seq)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
  });

  it('isolates a row PostgreSQL refuses inside a batch, even one that got past the input check', async () => {
    await using t = await start();
    const { people, conversationId } = await groupOf(t, 12);
    const { conversations } = t.server.app.services;
    // Straight to the service, past the transport's check: the batch itself must keep the others' sends.
    const outcomes = await Promise.allSettled(
      people.map((sender, index) =>
        conversations.send(sender.id, {
          conversationId,
          clientMessageId: clientId(),
          content: text(index === 11 ? NUL : `hello ${index}`),
        }),
      ),
    );
    outcomes.forEach((outcome, index) => {
      if (index === 11) expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_INPUT' } });
      else expect(outcome).toMatchObject({ status: 'fulfilled', value: { content: text(`hello ${index}`) } });
    });
  });

  it('refuses NUL and unpaired surrogates in every kind of text input with a typed error', async () => {
    await using t = await start();
    const ada = await person(t);
    const bob = await person(t);
    const { id: conversationId } = await ada.api.conversations.createGroup.mutate({
      title: 'Texts',
      memberIds: [bob.id],
    });
    const attempts = [
      ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(LONE_SURROGATE) }),
      ada.api.messages.send.mutate({
        conversationId,
        clientMessageId: clientId(),
        content: { type: 'attachment', attachmentId: crypto.randomUUID(), caption: NUL },
      }),
      ada.api.messages.edit.mutate({ conversationId, seq: 1, content: text(NUL) }),
      ada.api.conversations.rename.mutate({ conversationId, title: NUL }),
      ada.api.conversations.createGroup.mutate({ title: LONE_SURROGATE, memberIds: [] }),
      ada.api.users.updateProfile.mutate({ displayName: NUL }),
      ada.api.users.search.query({ query: NUL }),
      ada.api.users.find.query({ username: LONE_SURROGATE }),
      t.newClient().api.auth.login.mutate({ login: `${ada.username}\u0000`, password: 'whatever it is' }),
      t.newClient().api.auth.register.mutate({
        username: 'someone',
        email: 'someone@example.com',
        displayName: LONE_SURROGATE,
        password: 'correct horse battery staple',
      }),
    ];
    for (const outcome of await Promise.all(attempts.map((attempt) => attempt.catch(toAppError)))) {
      expect(outcome).toMatchObject({ appCode: 'INVALID_INPUT', userMessage: expect.stringMatching(/NUL|unpaired/) });
    }
    // Nothing was half done: the group still has its name and only its first note.
    const [group] = await ada.api.conversations.list.query();
    expect(group).toMatchObject({ title: 'Texts', lastMessage: { seq: 1 } });
  });
});
