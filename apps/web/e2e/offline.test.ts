import { describe, expect, it } from 'bun:test';
import { CLOSE_SERVICE_RESTART } from '@gopherchat/api';
import { signUpClient } from '@gopherchat/server/testing';
import type { Page, WebSocketRoute } from 'playwright-core';
import { messagesOn, saveScreenshot, signUpInPage, useWebApp, write } from './browser.ts';

/** The connection's state machine and the service worker, in a real browser against the built app. */
/** Failed attempts in a row that take the backoff past 4 s, with room to spare (it doubles from ¼–½ s). */
const MAX_FAILURES = 12;
/** The longest wait between two attempts (the backoff's cap). */
const RETRY_WAIT_MAX_MS = 30_000;

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

  it('shows the sign-in screen, from the service worker’s cache, when reloaded signed out and offline', async () => {
    const context = await web.browser.newContext();
    const page = await context.newPage();
    await page.goto(web.server.url.href);
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await saveScreenshot(page, 'offline-sign-in');
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
    const isWaitingToRetry = page.locator('[data-testid="chat"][data-live="waiting-to-retry"]');
    /**
     * The server goes down, and stays down until the backoff has grown to
     * several seconds. The page's clock stands still meanwhile: each wait is
     * run through by hand, and whatever happens next cannot be a timer's doing.
     */
    async function serverGoesDownForAWhile() {
      isServerDown = true;
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
      await Promise.all(sockets.splice(0).map((socket) => socket.close()));
      const longWait = banner.getByText(/^Reconnecting in ([4-9]|\d\d) s…$/);
      for (let failures = 0; failures < MAX_FAILURES && !(await longWait.isVisible()); failures++) {
        await isWaitingToRetry.waitFor();
        await page.clock.runFor(RETRY_WAIT_MAX_MS);
      }
      await longWait.waitFor();
      isServerDown = false;
    }

    /**
     * With the page's clock stopped, the connection is made after a millisecond of its time: the socket's
     * own zero-delay hand-off, not the retry seconds away.
     */
    async function goesLiveAtOnce() {
      await page.clock.runFor(1);
      await isLive(page).waitFor();
    }

    // The page's timers run on a clock the test can stop: it runs as usual until then.
    await page.clock.install();
    await page.goto(web.server.url.href);
    await signUpInPage(page, 'quinn');
    await isLive(page).waitFor();

    // Back online while waiting: a retry now, not when the wait is over (the page's clock is stopped).
    await serverGoesDownForAWhile();
    await saveScreenshot(page, 'reconnecting-banner');
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await goesLiveAtOnce();
    await banner.waitFor({ state: 'detached' });
    await page.clock.resume();

    // Asked to: the same.
    await serverGoesDownForAWhile();
    await banner.getByRole('button', { name: 'Retry now' }).click();
    await goesLiveAtOnce();

    // Offline: said so, and no attempts until the network is back, then one at once.
    const socketsBefore = sockets.length;
    await context.setOffline(true);
    await banner.getByText('You are offline; messages will be sent when you are back.').waitFor();
    // A minute of the page's time passes at once: any retry timer would have fired, and tried.
    await page.clock.runFor(60_000);
    await expect(page.getByTestId('chat').getAttribute('data-live')).resolves.toBe('offline');
    expect(sockets).toHaveLength(socketsBefore);
    await context.setOffline(false);
    await goesLiveAtOnce();
    expect(sockets).toHaveLength(socketsBefore + 1);
    await context.close();
  });
});
