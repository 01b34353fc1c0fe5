import { describe, expect, it } from 'bun:test';
import { SAVED_MESSAGES_MAX } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { sql } from 'drizzle-orm';
import { createManualClock, type ManualClock } from '../../platform/clock/index.ts';
import { eventually } from '../../testing/eventually.ts';
import {
  backends,
  clientId,
  crewWithNotes,
  eventsOf,
  eventsOfKind,
  type Person,
  person,
  text,
} from '../../testing/people.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

/** Ada's group with Bob, holding `count` messages of Bob's, and how each saves and lists. */
async function groupWith(t: TestServer, count: number) {
  const { ada, bob, conversationId, seqs } = await crewWithNotes(t, count);
  const save = (who: Person, seq: number) => who.api.saved.save.mutate({ conversationId, seq });
  const savedSeqs = async (who: Person) => (await who.api.saved.list.query({})).items.map((item) => item.message.seq);
  return { ada, bob, conversationId, seqs, save, savedSeqs };
}

describe.each(backends)('saved messages over $name', ({ database, bus }) => {
  const start = (clock?: ManualClock) => startTestServer({ label: 'saved', database, bus, clock });

  it('keeps a private list, newest saved first, paged, and takes a message off it', async () => {
    const clock = createManualClock(Date.now());
    await using t = await start(clock);
    const { ada, bob, conversationId, seqs, save, savedSeqs } = await groupWith(t, 3);
    const [first = 0, second = 0, third = 0] = seqs;
    await save(ada, second);
    clock.advance(1_000);
    await save(ada, first);
    clock.advance(1_000);
    await save(ada, third);
    // Saving again changes nothing, not even its place in the list.
    await save(ada, second);
    expect(await savedSeqs(ada)).toEqual([third, first, second]);
    // Nobody else sees what Ada saved.
    expect(await savedSeqs(bob)).toEqual([]);

    const page = await ada.api.saved.list.query({ limit: 2 });
    expect(page.hasMore).toBe(true);
    const last = page.items.at(-1);
    const rest = await ada.api.saved.list.query({
      limit: 2,
      before: { savedAt: last?.savedAt ?? '', conversationId, seq: last?.message.seq ?? 0 },
    });
    expect(rest).toMatchObject({ hasMore: false, items: [{ message: { seq: second, content: text('note 1') } }] });

    await ada.api.saved.unsave.mutate({ conversationId, seq: first });
    await ada.api.saved.unsave.mutate({ conversationId, seq: first });
    expect(await savedSeqs(ada)).toEqual([third, second]);
    expect(await ada.api.saved.keys.query()).toEqual(
      expect.arrayContaining([
        { conversationId, seq: second },
        { conversationId, seq: third },
      ]),
    );
  });

  it('leaves out deleted messages and conversations one has left, and refuses outsiders and notes', async () => {
    await using t = await start();
    const { ada, bob, conversationId, seqs, save, savedSeqs } = await groupWith(t, 2);
    const [first = 0, second = 0] = seqs;
    const outsider = await person(t);
    expect(await save(outsider, first).catch(toAppError)).toMatchObject({ appCode: 'NOT_FOUND' });
    expect(await save(ada, 1).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect(await save(ada, 999).catch(toAppError)).toMatchObject({ appCode: 'NOT_FOUND' });

    await save(bob, first);
    await save(bob, second);
    await bob.api.messages.delete.mutate({ conversationId, seq: first });
    expect(await savedSeqs(bob)).toEqual([second]);
    expect(await save(bob, first).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });
    await ada.api.conversations.removeMember.mutate({ conversationId, userId: bob.id });
    expect(await savedSeqs(bob)).toEqual([]);
  });

  it(`keeps at most ${SAVED_MESSAGES_MAX}, and tells one's other devices live`, async () => {
    await using t = await start();
    const { bob, conversationId, seqs, save } = await groupWith(t, 1);
    const [seq = 0] = seqs;
    // Bob's second device, listening.
    const live = eventsOf(bob, undefined, { includeLive: true });
    await live.started;
    await save(bob, seq);
    await eventually(() => eventsOfKind(live.events, 'saved').length > 0, 'the saved signal');
    expect(eventsOfKind(live.events, 'saved')).toEqual([{ kind: 'saved', conversationId, seq, isSaved: true }]);
    live[Symbol.dispose]();

    // A full list, written straight to the database: a list of messages that exist, saved long ago.
    await t.server.app.database.db.execute(sql`
      with made as (
        insert into messages (conversation_id, seq, id, sender_id, content, created_at)
        select ${conversationId}, s, gen_random_uuid(), ${bob.id}, '{"type":"text","text":"old"}', now()
        from generate_series(1000, ${998 + SAVED_MESSAGES_MAX}) s
        returning conversation_id, seq
      )
      insert into saved_messages (user_id, conversation_id, seq, saved_at)
      select ${bob.id}, conversation_id, seq, now() from made`);
    const { seq: last } = await bob.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: text('one too many'),
    });
    expect(await save(bob, last).catch(toAppError)).toMatchObject({ appCode: 'INVALID_INPUT' });
    expect((await bob.api.saved.keys.query()).length).toBe(SAVED_MESSAGES_MAX);
  });
});
