import { describe, expect, it } from 'bun:test';
import { CLOSE_SERVICE_RESTART } from '@gopherchat/api';
import { signUpClient } from '@gopherchat/server/testing';
import type { Page, WebSocketRoute } from 'playwright-core';
import { messagesOn, saveScreenshot, signUpInPage, useWebApp, write } from './browser.ts';

/** The connection's state machine and the service worker, in a real browser against the built app. */
describe('offline and reconnecting in the browser', () => {
  const web = useWebApp('offline');

  const isLive = (page: Page) => page.locator('[data-testid="chat"][data-live="live"]');

  it('reloads offline from the service worker’s cache with the conversation, and sends what was written there once', async () => {
    const pat = await signUpClient(web.server.url, 'pat');
    const { context, page } = await web.personAt('olive');
    const olive = await pat.api.users.find.query({ username: 'olive' });
    const { id: conversationId } = await pat.api.conversations.createDirect.mutate({ userId: olive.id });
    await pat.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'hello-before',
      content: { type: 'text', text: 'hello before' },
    });
    await page.getByTestId('conversation').filter({ hasText: 'pat' }).click();
    await page.getByTestId('message-list').getByText('hello before').waitFor();
    // The service worker has cached the shell and serves this page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('signed-in-as').getByText('olive').waitFor();
    await page.getByTestId('connection-banner').getByText('You are offline').waitFor();
    await page.getByTestId('conversation').filter({ hasText: 'pat' }).click();
    await page.getByTestId('message-list').getByText('hello before').waitFor();
    await write(page, 'written offline');
    await expect(page.locator('[data-state="pending"]').count()).resolves.toBe(1);
    await saveScreenshot(page, 'offline-reload');

    await context.setOffline(false);
    await isLive(page).waitFor();
    await page.locator('[data-state="pending"]').waitFor({ state: 'detached' });
    await page.getByTestId('connection-banner').waitFor({ state: 'detached' });
    expect(await messagesOn(page)).toEqual(['hello before', 'written offline']);
    const history = await pat.api.messages.history.query({ conversationId, limit: 50 });
    const texts = history.messages.flatMap((message) =>
      message.content.type === 'text' ? [message.content.text] : [],
    );
    expect(texts).toEqual(['hello before', 'written offline']);
    await pat.close();
    await context.close();
  });

  it('says in words how it is reconnecting, and tries at once when the network is back or when asked', async () => {
    const context = await web.browser.newContext();
    const page = await context.newPage();
    // Sockets go through to the server until it "goes down": then each new one is refused.
    let isServerDown = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/trpc/, (socket) => {
      if (isServerDown)
        return void socket.onMessage(() => socket.close({ code: CLOSE_SERVICE_RESTART, reason: 'restarting' }));
      socket.connectToServer();
      sockets.push(socket);
    });
    const banner = page.getByTestId('connection-banner');
    /** The server goes down, and stays down until the backoff has grown to several seconds. */
    async function serverGoesDownForAWhile() {
      isServerDown = true;
      await Promise.all(sockets.splice(0).map((socket) => socket.close()));
      await banner.getByText(/^Reconnecting in ([4-9]|\d\d) s…$/).waitFor({ timeout: 20_000 });
      isServerDown = false;
    }

    await page.goto(web.server.url.href);
    await signUpInPage(page, 'quinn');
    await isLive(page).waitFor();

    // Back online while waiting: a retry now, not when the wait is over.
    await serverGoesDownForAWhile();
    await saveScreenshot(page, 'reconnecting-banner');
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await isLive(page).waitFor({ timeout: 2_000 });
    await banner.waitFor({ state: 'detached' });

    // Asked to: the same.
    await serverGoesDownForAWhile();
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await isLive(page).waitFor({ timeout: 2_000 });

    // Offline: said so, and no attempts until the network is back, then one at once.
    const socketsBefore = sockets.length;
    await context.setOffline(true);
    await banner.getByText('You are offline; messages will be sent when you are back.').waitFor();
    await page.waitForTimeout(1_000);
    expect(sockets).toHaveLength(socketsBefore);
    await context.setOffline(false);
    await isLive(page).waitFor({ timeout: 2_000 });
    expect(sockets).toHaveLength(socketsBefore + 1);
    await context.close();
  });
});
