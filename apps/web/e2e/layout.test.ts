import { describe, expect, it } from 'bun:test';
import { signUpClient } from '@gopherchat/server/testing';
import type { Locator, Page } from 'playwright-core';
import { fromUserMenu, saveScreenshot, useWebApp, write } from './browser.ts';

/** Phone widths, from the smallest in use to the largest: nothing may scroll sideways at any of them. */
const PHONE_WIDTHS = [320, 360, 390, 430];
const PHONE_HEIGHT = 844;
/** The smallest touch target a finger hits reliably (Apple's and WCAG's 2.5.5 figure). */
const TOUCH_TARGET_PX = 44;

/** How far the page, or anything in it, reaches past the right edge of the window. */
const overflowOf = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const past = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        // Hidden things, and things clipped by a scroller of their own, do not widen the page.
        return box.width > 0 && box.right > width + 0.5 && element.closest('[data-clips]') === null;
      })
      .map(
        (element) => `${element.tagName.toLowerCase()}${element.dataset.testid ? `[${element.dataset.testid}]` : ''}`,
      );
    return { scrollWidth: document.documentElement.scrollWidth, width, past: past.slice(0, 5) };
  });

/** The main screens of the app, at every phone width, and on a desktop: laid out to fit, with targets a finger hits. */
describe('layout on phones and desktops', () => {
  const web = useWebApp('layout');

  /** A person whose list has a long-named group with unread messages, a long unbroken word and a long link. */
  async function withBusyList(username: string) {
    const person = await web.personAt(username, { viewport: { width: 390, height: PHONE_HEIGHT } });
    await using friend = await signUpClient(web.server.url, `${username}.friend`);
    const me = await friend.api.users.find.query({ username });
    const group = await friend.api.conversations.createGroup.mutate({
      title: 'The quarterly planning group with a very long name indeed',
      memberIds: [me.id],
    });
    for (const text of [
      'Supercalifragilisticexpialidocious-and-then-some-more-letters-without-a-break',
      'See https://example.com/a/very/long/path/that/does/not/break/anywhere/at/all?with=query&and=more',
      'A normal message about lunch.',
    ]) {
      await friend.api.messages.send.mutate({
        conversationId: group.id,
        clientMessageId: crypto.randomUUID(),
        content: { type: 'text', text },
      });
    }
    return person;
  }

  /** Each screen, at each phone width: nothing reaches past the window's right edge. */
  async function expectNoSidewaysScroll(page: Page, screen: string) {
    for (const width of PHONE_WIDTHS) {
      await page.setViewportSize({ width, height: PHONE_HEIGHT });
      const { scrollWidth, width: clientWidth, past } = await overflowOf(page);
      expect({ screen, width, scrollWidth, past }).toEqual({ screen, width, scrollWidth: clientWidth, past: [] });
    }
    await page.setViewportSize({ width: 390, height: PHONE_HEIGHT });
  }

  async function expectTouchTargets(controls: Record<string, Locator>) {
    const small: string[] = [];
    for (const [name, control] of Object.entries(controls)) {
      const box = await control.boundingBox();
      if (!box || box.height < TOUCH_TARGET_PX || box.width < TOUCH_TARGET_PX) {
        small.push(`${name}: ${box ? `${Math.round(box.width)}×${Math.round(box.height)}` : 'not shown'}`);
      }
    }
    expect(small).toEqual([]);
  }

  it('fits every main screen on a phone, one pane at a time, with a way back', async () => {
    const { page, context } = await withBusyList('pia');
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await list.getByTestId('unread').waitFor();
    await expectNoSidewaysScroll(page, 'conversation list');
    await expectTouchTargets({
      'user menu': page.getByRole('button', { name: /account, theme and sign out$/ }),
      'new conversation': page.getByRole('button', { name: 'New conversation' }),
      'all filter': page.getByRole('button', { name: 'All', exact: true }),
      'mentions filter': page.getByRole('button', { name: 'Mentions', exact: true }),
      'turn on notifications': page.getByRole('button', { name: 'Turn on' }),
      'not now': page.getByRole('button', { name: 'Not now' }),
      conversation: list.getByTestId('conversation').first(),
    });
    await saveScreenshot(page, 'layout-list-390');

    await list.getByTestId('conversation').first().click();
    await page.getByTestId('message-list').getByText('A normal message about lunch.').waitFor();
    // One pane: the list has gone, the conversation has the window.
    await expect(list.isVisible()).resolves.toBe(false);
    await expectNoSidewaysScroll(page, 'conversation');
    await expectTouchTargets({
      back: page.getByRole('button', { name: 'Back to conversations' }),
      'group settings': page.getByRole('button', { name: 'Group settings' }),
      attach: page.getByRole('button', { name: 'Attach files' }),
      send: page.getByRole('button', { name: 'Send', exact: true }),
    });
    await write(page, 'Replying from a phone');
    await page.getByTestId('message-list').getByText('Replying from a phone').waitFor();
    await saveScreenshot(page, 'layout-conversation-390');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'layout-conversation-390-dark');

    await page.getByRole('button', { name: 'Group settings' }).click();
    await page.getByRole('dialog').waitFor();
    await expectNoSidewaysScroll(page, 'group settings');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // Back, and the list is the page again; back and forward in the browser do the same.
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await list.waitFor();
    await page.goBack();
    await page.getByTestId('message-list').getByText('Replying from a phone').waitFor();
    await page.goBack();
    await list.waitFor();

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByRole('dialog').waitFor();
    await expectNoSidewaysScroll(page, 'new conversation');
    await page.keyboard.press('Escape');

    await fromUserMenu(page, 'Account');
    await page.locator('#page-title').getByText('Account').waitFor();
    await expectNoSidewaysScroll(page, 'account');
    await saveScreenshot(page, 'layout-account-390-dark');
    await fromUserMenu(page, 'Announcements');
    await page.locator('#page-title').getByText('Announcements').waitFor();
    await expectNoSidewaysScroll(page, 'announcements');
    await context.close();
  });

  it('keeps the open conversation at its address: a reload opens it again, and the list beside it on a desktop', async () => {
    const { page, context } = await withBusyList('quin');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('conversation').first().click();
    await page.getByTestId('message-list').getByText('A normal message about lunch.').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/c\/[0-9a-f-]{36}$/);
    await page.reload();
    await page.getByTestId('message-list').getByText('A normal message about lunch.').waitFor();
    // Both panes on a desktop.
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    await saveScreenshot(page, 'layout-conversation-1280');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'layout-conversation-1280-dark');

    // An address for a conversation that is not there (or not mine) says so, and shows the list.
    await page.goto(new URL('/c/00000000-0000-4000-8000-000000000000', web.server.url).href);
    await page
      .getByRole('alert')
      .getByText(/not|cannot/i)
      .waitFor();
    await expect(page.getByTestId('conversation-title').count()).resolves.toBe(0);
    await context.close();
  });

  it('shows the sign-in screen whole on a phone', async () => {
    const context = await web.browser.newContext({ viewport: { width: 390, height: PHONE_HEIGHT } });
    const page = await context.newPage();
    await page.goto(web.server.url.href);
    await page.getByRole('tab', { name: 'Create account' }).waitFor();
    await expectNoSidewaysScroll(page, 'sign in');
    await context.close();
  });
  it('can be installed: a manifest with a name, a start, the theme colour and icons that load', async () => {
    const context = await web.browser.newContext();
    const page = await context.newPage();
    await page.goto(web.server.url.href);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const response = await page.request.get(new URL(href ?? '', web.server.url).href);
    expect(response.ok()).toBe(true);
    expect(response.headers()['content-type']).toContain('json');
    const manifest = (await response.json()) as {
      name: string;
      start_url: string;
      display: string;
      theme_color: string;
      icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
    };
    expect(manifest).toMatchObject({ name: 'GopherChat', start_url: '/', display: 'standalone' });
    await expect(page.locator('meta[name="theme-color"]').getAttribute('content')).resolves.toBe(manifest.theme_color);
    // Chromium installs with a 192 px and a 512 px icon; Android crops a maskable one to its own shape.
    expect(manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose}`)).toEqual(
      expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']),
    );
    for (const icon of manifest.icons) {
      const image = await page.request.get(new URL(icon.src, web.server.url).href);
      expect({ src: icon.src, ok: image.ok(), type: image.headers()['content-type'] }).toEqual({
        src: icon.src,
        ok: true,
        type: expect.stringContaining(icon.type),
      });
    }
    await context.close();
  });
});
