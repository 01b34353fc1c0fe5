import { describe, expect, it } from 'bun:test';
import { toAppError } from '@gopherchat/sdk';
import { eventually } from '../../testing/eventually.ts';
import { allEventsOf, backends, clientId, eventsOfKind, person, text } from '../../testing/people.ts';
import { startTestServer } from '../../testing/test-server.ts';

/** A site on loopback (allow-listed for the test server) with two pages that describe themselves, counting reads. */
function startSite() {
  const reads: string[] = [];
  const page = (title: string) =>
    `<!doctype html><html><head><meta property="og:title" content="${title}">
     <meta property="og:description" content="All about ${title}."><meta property="og:site_name" content="Launch Co">
     <title>ignored</title></head><body>…</body></html>`;
  const site = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(request) {
      const { pathname } = new URL(request.url);
      reads.push(pathname);
      return new Response(page(pathname === '/launch' ? 'The launch' : 'The landing'), {
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    },
  });
  return {
    url: (path: string) => `http://127.0.0.1:${site.port}${path}`,
    reads,
    [Symbol.dispose]: () => site.stop(true),
  };
}

describe.each(backends)('link previews over $name', ({ database, bus }) => {
  const start = () =>
    startTestServer({
      label: 'previews',
      database,
      bus,
      env: { LINK_PREVIEW_ALLOW: '127.0.0.1', LINK_PREVIEW_CONCURRENCY: '1' },
    });

  it('adds the card of a message’s first link live, reads a page once, and follows an edit to another link', async () => {
    using site = startSite();
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    using bobsEvents = allEventsOf(bob);
    await bobsEvents.started;

    const { seq } = await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: text(`Read ${site.url('/launch')}, then ${site.url('/landing')}.`),
    });
    const cardOf = (wanted: number) =>
      eventsOfKind(bobsEvents.events, 'message_updated').findLast((event) => event.message.seq === wanted)?.message
        .linkPreview;
    await eventually(() => cardOf(seq) !== undefined, 'the card, live');
    expect(cardOf(seq)).toEqual({
      url: site.url('/launch'),
      title: 'The launch',
      description: 'All about The launch.',
      siteName: 'Launch Co',
    });

    // The same link again: the card comes from the cache.
    const again = await ada.api.messages.send.mutate({
      conversationId,
      clientMessageId: clientId(),
      content: text(site.url('/launch')),
    });
    await eventually(() => cardOf(again.seq) !== undefined, 'the second card');
    expect(site.reads).toEqual(['/launch']);

    await ada.api.messages.edit.mutate({ conversationId, seq, content: text(`Now ${site.url('/landing')}`) });
    await eventually(() => cardOf(seq)?.title === 'The landing', 'the edited link’s card');
    const [stored] = (await bob.api.messages.history.query({ conversationId, after: seq - 1, limit: 1 })).messages;
    expect(stored?.linkPreview?.title).toBe('The landing');
  });

  it('lets only the sender remove a card, for good, and never reads an address that is not allowed', async () => {
    using site = startSite();
    await using t = await start();
    const [ada, bob] = [await person(t), await person(t)];
    const { id: conversationId } = await ada.api.conversations.createDirect.mutate({ userId: bob.id });
    const send = (words: string) =>
      ada.api.messages.send.mutate({ conversationId, clientMessageId: clientId(), content: text(words) });
    const stored = async (seq: number) =>
      (await ada.api.messages.history.query({ conversationId, after: seq - 1, limit: 1 })).messages[0];

    // Loopback over IPv6, and a private network's address: not on the allow-list.
    const refused = [await send('http://[::1]:9/secret'), await send('http://10.0.0.1/admin')];
    const { seq } = await send(site.url('/launch'));
    await t.server.app.services.conversations.previewsSettled();
    expect((await stored(seq))?.linkPreview?.title).toBe('The launch');
    for (const message of refused) expect((await stored(message.seq))?.linkPreview).toBeUndefined();

    expect(await bob.api.messages.removePreview.mutate({ conversationId, seq }).catch(toAppError)).toMatchObject({
      appCode: 'FORBIDDEN',
    });
    const removed = await ada.api.messages.removePreview.mutate({ conversationId, seq });
    expect(removed.linkPreview).toBeUndefined();
    // Edited with the same link, it stays without its card.
    await ada.api.messages.edit.mutate({ conversationId, seq, content: text(`Again: ${site.url('/launch')}`) });
    await t.server.app.services.conversations.previewsSettled();
    expect((await stored(seq))?.linkPreview).toBeUndefined();
  });
});
