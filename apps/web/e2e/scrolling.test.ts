import { describe, expect, it } from 'bun:test';
import { signUpClient, testPhoto, uploadFile } from '@gopherchat/server/testing';
import type { Locator, Page } from 'playwright-core';
import { apiAs, saveScreenshot, useWebApp, write } from './browser.ts';

/** Below the last row: the list's padding, and the day's last row's own margin. */
const LIST_BOTTOM_SPACE_PX = 16;
/** Receipts and "(edited)" lines under a bubble sit between it and the list's end. */
const BOTTOM_TOLERANCE_PX = 24;

type Client = Awaited<ReturnType<typeof signUpClient>>;

/** A message long enough to fill most of the view on its own: estimates of row heights are far off for it. */
const longText = (label: string) => `${label}: ${'A long paragraph that wraps over many lines. '.repeat(30)}`;

/**
 * Where the view goes in a conversation, in a real browser: the rules of
 * `scroll-policy.ts` against long messages and images whose heights are only
 * known once rendered.
 */
describe('scrolling a conversation in the browser', () => {
  const web = useWebApp('scrolling');

  /** `username` in the browser and a friend acting through the API, in a group of theirs, not yet opened. */
  async function withFriend(username: string, options: { viewport?: { width: number; height: number } } = {}) {
    const person = await web.personAt(username, options);
    const friend = await signUpClient(web.server.url, `${username}.friend`);
    const me = await friend.api.users.find.query({ username });
    const group = await friend.api.conversations.createGroup.mutate({ title: 'Long thread', memberIds: [me.id] });
    const elsewhere = await friend.api.conversations.createGroup.mutate({ title: 'Elsewhere', memberIds: [me.id] });
    const say = (text: string, conversationId = group.id) =>
      friend.api.messages.send.mutate({
        conversationId,
        clientMessageId: crypto.randomUUID(),
        content: { type: 'text', text },
      });
    return { ...person, friend, group, elsewhere, say };
  }

  const list = (page: Page) => page.getByTestId('message-list');
  const bubble = (page: Page, startsWith: string) =>
    list(page)
      .getByTestId('message')
      .filter({ hasText: new RegExp(`^${startsWith}`) });
  const open = (page: Page, title: string) => page.getByTestId('conversation').filter({ hasText: title }).click();

  /** Where `element` is in the message list's view, after the frame's layout and the corrections measuring makes. */
  async function placeIn(page: Page, element: Locator) {
    const [view, box] = await Promise.all([
      list(page).boundingBox(),
      settled(element).then(() => element.boundingBox()),
    ]);
    if (!view || !box) throw new Error('not rendered');
    return {
      top: box.y - view.y,
      isWhollyInView: box.y >= view.y - 1 && box.y + box.height <= view.y + view.height + 1,
      isPartlyInView: box.y + box.height > view.y && box.y < view.y + view.height,
      /** Its bottom is at the view's bottom (above the list's padding): where the newest message is read. */
      isAtBottom: Math.abs(view.y + view.height - (box.y + box.height) - LIST_BOTTOM_SPACE_PX) <= BOTTOM_TOLERANCE_PX,
    };
  }
  /** Two frames: the measurements of newly rendered rows and the scroll corrections they cause are done. */
  const settled = (element: Locator) =>
    element.evaluate(
      () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );

  /** Waits for the view to stop moving, as seen from the page: the same offset two frames apart. */
  const untilStill = (page: Page) =>
    page.waitForFunction(
      () =>
        new Promise<boolean>((resolve) => {
          const scroller = document.querySelector('[data-testid="message-list"]');
          const before = scroller?.scrollTop;
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(scroller?.scrollTop === before)));
        }),
    );

  it('opens at the first unread message under a “New messages” divider, and at the newest when all is read', async () => {
    const t = await withFriend('sam');
    for (let index = 1; index <= 12; index++) await t.say(longText(`read ${index}`));
    await open(t.page, 'Long thread');
    // All of it unread: it opens at the first message, under the divider. Read now, down to the newest.
    await t.page.getByTestId('new-messages-divider').waitFor();
    await bubble(t.page, 'read 1:').waitFor();
    await t.page.getByTestId('jump-to-latest').click();
    await untilStill(t.page);
    expect((await placeIn(t.page, bubble(t.page, 'read 12'))).isAtBottom).toBe(true);

    await open(t.page, 'Elsewhere');
    for (let index = 1; index <= 30; index++) await t.say(longText(`new ${index}`));
    await t.page
      .getByTestId('conversation')
      .filter({ hasText: 'Long thread' })
      .getByTestId('unread')
      .getByText('30')
      .waitFor();
    await open(t.page, 'Long thread');
    const divider = t.page.getByTestId('new-messages-divider');
    await divider.waitFor();
    await untilStill(t.page);
    // The divider and the first new message are at the top of the view; the newest is below it, a pill away.
    const dividerPlace = await placeIn(t.page, divider);
    expect(dividerPlace.isWhollyInView).toBe(true);
    expect(dividerPlace.top).toBeLessThan(100);
    expect((await placeIn(t.page, bubble(t.page, 'new 1:'))).isPartlyInView).toBe(true);
    await expect(bubble(t.page, 'new 30').count()).resolves.toBe(0);
    // Only what came on screen was read: not the rows below it, still at their estimated height (it read 13 of 30).
    const unread = t.page.getByTestId('conversation').filter({ hasText: 'Long thread' }).getByTestId('unread');
    expect(Number((await unread.textContent())?.replace('Unread: ', ''))).toBeGreaterThanOrEqual(27);
    await t.page.getByTestId('jump-to-latest').getByText('Jump to latest').waitFor();
    await saveScreenshot(t.page, 'scrolling-new-messages-divider');
    await t.page.emulateMedia({ colorScheme: 'dark' });
    await t.page.setViewportSize({ width: 390, height: 844 });
    await saveScreenshot(t.page, 'scrolling-new-messages-divider-390-dark');

    // Read, and opened again: at the newest, the divider gone.
    await t.page.getByTestId('jump-to-latest').click();
    await untilStill(t.page);
    expect((await placeIn(t.page, bubble(t.page, 'new 30'))).isAtBottom).toBe(true);
    await t.page.getByRole('button', { name: 'Back to conversations' }).click();
    await open(t.page, 'Long thread');
    await bubble(t.page, 'new 30').waitFor();
    await untilStill(t.page);
    expect((await placeIn(t.page, bubble(t.page, 'new 30'))).isAtBottom).toBe(true);
    await expect(divider.count()).resolves.toBe(0);

    // Opened at its first unread, a conversation too short to scroll is at its newest: no pill offers to go there.
    await t.say('short news', t.elsewhere.id);
    await t.page.getByRole('button', { name: 'Back to conversations' }).click();
    await open(t.page, 'Elsewhere');
    await bubble(t.page, 'short news').waitFor();
    await divider.waitFor();
    await t.page.getByTestId('jump-to-latest').waitFor({ state: 'hidden' });
    await t.friend.close();
    await t.context.close();
  });

  it('always scrolls to my own message; keeps my place for others’ and counts them on the pill', async () => {
    const t = await withFriend('tess');
    for (let index = 1; index <= 40; index++) await t.say(`line ${index}`);
    await open(t.page, 'Long thread');
    await t.page.getByTestId('jump-to-latest').click();
    await bubble(t.page, 'line 40').waitFor();
    await untilStill(t.page);

    // A little way up: what is on screen stays put as others write, and the pill counts them.
    await list(t.page).evaluate((element) => element.scrollBy({ top: -300 }));
    await untilStill(t.page);
    const reading = bubble(t.page, 'line 30');
    const readingTop = (await placeIn(t.page, reading)).top;
    await t.say('from a friend 1');
    await t.say('from a friend 2');
    const pill = t.page.getByTestId('jump-to-latest');
    await pill.getByText('2 new messages').waitFor();
    expect(Math.abs((await placeIn(t.page, reading)).top - readingTop)).toBeLessThanOrEqual(1);
    await saveScreenshot(t.page, 'scrolling-new-messages-pill');

    // Regression: scrolling up a little stopped my own sends from bringing me back down.
    await write(t.page, 'mine, from up here');
    await pill.waitFor({ state: 'detached' });
    await list(t.page).locator('li[data-seq]').filter({ hasText: 'mine, from up here' }).waitFor();
    await untilStill(t.page);
    expect((await placeIn(t.page, bubble(t.page, 'mine, from up here'))).isWhollyInView).toBe(true);

    // Further up, one more from the friend: the pill in the singular takes me down.
    await list(t.page).evaluate((element) => element.scrollTo({ top: 0 }));
    // The app has seen the scroll (its event comes a frame later): on a busy machine the message could come first.
    await pill.getByText('Jump to latest').waitFor();
    await t.say('from a friend 3');
    await pill.getByText('1 new message').waitFor();
    await pill.click();
    await pill.waitFor({ state: 'detached' });
    await untilStill(t.page);
    expect((await placeIn(t.page, bubble(t.page, 'from a friend 3'))).isWhollyInView).toBe(true);
    await t.friend.close();
    await t.context.close();
  });

  /** Shares a 1200×800 photo in the group, as the friend. */
  async function sharePhoto(friend: Client, conversationId: string, fileName: string) {
    const attachmentId = await uploadFile(friend.api, await testPhoto(1200, 800), {
      contentType: 'image/jpeg',
      fileName,
    });
    await friend.api.attachments.confirm.mutate({ attachmentId });
    await friend.api.messages.send.mutate({
      conversationId,
      clientMessageId: crypto.randomUUID(),
      content: { type: 'attachment', attachmentId, caption: fileName },
    });
  }

  it('opens at the newest past long messages and images, and images loading later move nothing', async () => {
    // On a phone, where a long message is ten times the height the list guesses before rendering it.
    const t = await withFriend('uma', { viewport: { width: 390, height: 844 } });
    for (let index = 1; index <= 12; index++) {
      await t.say(longText(`before ${index}`));
      if (index % 2 === 0) await sharePhoto(t.friend, t.group.id, `photo-${index}.jpg`);
    }
    await t.say(longText('newest'));
    // Everything read already (on another device): the conversation opens at its newest.
    await using mine = await apiAs(web.server.url, t.page);
    const { lastSeq } = (await mine.api.conversations.list.query()).find((c) => c.id === t.group.id) ?? { lastSeq: 0 };
    await mine.api.receipts.markRead.mutate({ conversationId: t.group.id, seq: lastSeq });
    await t.page.reload();

    // The pictures are held back until the view has settled.
    const { promise: isReleased, resolve: release } = Promise.withResolvers<void>();
    const isPicture = (url: URL) => url.origin !== web.server.url.origin;
    await t.page.route(isPicture, async (route) => {
      await isReleased;
      await route.continue();
    });
    const newest = bubble(t.page, 'newest');
    await open(t.page, 'Long thread');
    await newest.waitFor();
    await untilStill(t.page);
    expect((await placeIn(t.page, newest)).isAtBottom).toBe(true);
    // Regression: opened again, its messages already loaded, it opened near the top (at the estimated heights' end).
    await t.page.getByRole('button', { name: 'Back to conversations' }).click();
    await open(t.page, 'Long thread');
    await newest.waitFor();
    await untilStill(t.page);
    expect((await placeIn(t.page, newest)).isAtBottom).toBe(true);
    await expect(t.page.getByTestId('new-messages-divider').count()).resolves.toBe(0);

    // Up among the pictures, which then arrive: what is read stays where it is.
    await list(t.page).evaluate((element) => element.scrollBy({ top: -900 }));
    await untilStill(t.page);
    const reading = list(t.page)
      .locator('li[data-seq]')
      .filter({ has: t.page.getByTestId('message') })
      .nth(3);
    const readingTop = (await placeIn(t.page, reading)).top;
    release();
    // Every picture rendered has its thumbnail, decoded.
    await t.page.waitForFunction(() => {
      const pictures = [...document.querySelectorAll('[data-testid="message-list"] [data-testid="attachment-image"]')];
      return (
        pictures.length > 0 &&
        pictures.every((picture) => {
          const thumbnail = picture.querySelector<HTMLImageElement>('[data-testid="attachment-thumbnail"]');
          return thumbnail?.complete && thumbnail.naturalWidth > 0;
        })
      );
    });
    await untilStill(t.page);
    expect(Math.abs((await placeIn(t.page, reading)).top - readingTop)).toBeLessThanOrEqual(1);
    await saveScreenshot(t.page, 'scrolling-images');
    await t.friend.close();
    await t.context.close();
  });
});
