import { describe, expect, it } from 'bun:test';
import { testPhoto } from '@gopherchat/server/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { attach, saveScreenshot, signUpInPage, startConversation, useWebApp, write } from './browser.ts';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  /** Where in the app's code it happened. */
  source: string;
}

declare global {
  interface Window {
    cspViolations: Violation[];
  }
}

/**
 * The built app under the server's Content-Security-Policy: everything it
 * does (sign-up, the live WebSocket, the service worker, uploads to the object
 * store, its thumbnails and blurred placeholders) runs without one violation.
 */
describe('the web app under its Content-Security-Policy', () => {
  const web = useWebApp('security-headers');

  /** A page whose every CSP violation and console error is kept, from before the app's first script runs. */
  async function watchedPage(context: BrowserContext) {
    await context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations.push({
          directive: event.violatedDirective,
          blocked: event.blockedURI,
          sample: event.sample,
          source: `${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        });
      });
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    return { page, consoleErrors };
  }

  const violationsOn = (page: Page) => page.evaluate(() => window.cspViolations);

  async function signedUp(username: string, options: Parameters<typeof web.browser.newContext>[0] = {}) {
    const context = await web.browser.newContext(options);
    const { page, consoleErrors } = await watchedPage(context);
    const response = await page.goto(web.server.url.href);
    const policy = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    await signUpInPage(page, username);
    return { context, page, consoleErrors };
  }

  it('signs up, talks live and shares an image with no violation reported', async () => {
    const ada = await signedUp('ada');
    const bob = await signedUp('bob', { colorScheme: 'dark' });
    // The WebSocket, on this origin ('self' covers ws:), is live.
    for (const { page } of [ada, bob]) await page.locator('[data-testid="chat"][data-live="live"]').waitFor();

    await startConversation(ada.page, 'Direct', { usernames: ['bob'] });
    await write(ada.page, 'Under a strict policy');
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada' }).click();
    await bob.page.getByTestId('message-list').getByText('Under a strict policy').waitFor();

    // Posted to the object store (connect-src), then shown from it (img-src), for the sender and, live, for bob.
    const photo = Buffer.from(await testPhoto(900, 600));
    await attach(ada.page, [{ name: 'policy.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    for (const { page } of [ada, bob]) {
      const thumbnail = page.getByTestId('message-list').getByTestId('attachment-thumbnail');
      await thumbnail.waitFor();
      await thumbnail.evaluate(
        (image: HTMLImageElement) =>
          new Promise<void>((resolve, reject) => {
            if (image.complete) return image.naturalWidth > 0 ? resolve() : reject(new Error(`${image.src} is broken`));
            image.addEventListener('load', () => resolve(), { once: true });
            image.addEventListener('error', () => reject(new Error(`${image.src} did not load`)), { once: true });
          }),
      );
    }
    // Whole, in the lightbox: the full image, also from the store.
    await bob.page.getByTestId('message-list').getByTestId('attachment-image').click();
    await bob.page.getByRole('dialog', { name: 'Image: policy.jpg' }).waitFor();
    await bob.page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]');
      return image?.complete === true && image.naturalWidth === 900;
    });
    await saveScreenshot(bob.page, 'security-headers-lightbox');
    await bob.page.keyboard.press('Escape');
    // The service worker (script-src 'self' governs it) installs and takes the page.
    await ada.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await saveScreenshot(ada.page, 'security-headers-light');
    await saveScreenshot(bob.page, 'security-headers-dark');

    for (const { page, consoleErrors } of [ada, bob]) {
      expect(await violationsOn(page)).toEqual([]);
      expect(consoleErrors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
    }

    // The listener hears what the policy refuses: a script planted in the page is reported, and does not run.
    const reported = ada.page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), {
            once: true,
          }),
        ),
    );
    await ada.page.evaluate(() => {
      const planted = document.createElement('script');
      planted.textContent = 'document.body.dataset.planted = "ran"';
      document.head.append(planted);
    });
    expect(await reported).toBe('script-src-elem');
    await expect(ada.page.evaluate(() => document.body.dataset.planted)).resolves.toBeUndefined();

    await ada.context.close();
    await bob.context.close();
  });

  it('refuses to be framed by another page', async () => {
    const context = await web.browser.newContext();
    const page = await context.newPage();
    const framed = page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const frame = document.createElement('iframe');
          frame.src = src;
          frame.addEventListener('load', () => resolve(), { once: true });
          document.body.append(frame);
        }),
      web.server.url.href,
    );
    await framed;
    const child = page.frames().find((frame) => frame !== page.mainFrame());
    // Chromium replaces a refused frame with its error page: the app never loads there.
    expect(child?.url()).toStartWith('chrome-error://');
    await context.close();
  });
});
