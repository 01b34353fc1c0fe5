import { describe, expect, it } from 'bun:test';
import { testPhoto } from '@gopherchat/server/testing';
import type { Locator, Page } from 'playwright-core';
import { IDLE_AFTER_MS } from '../src/lib/idle-watch.ts';
import { fromUserMenu, saveScreenshot, signUpInPage, startConversation, useWebApp, write } from './browser.ts';

/** Statuses in real browsers. */
describe('statuses in the browser', () => {
  const web = useWebApp('status');

  it('sets a status from the user menu, shows it to the other person live, and clears it', async () => {
    const ada = await web.personAt('ada.status');
    const bob = await web.personAt('bob.status', { viewport: { width: 390, height: 844 } });
    await startConversation(ada.page, 'Direct', { usernames: ['bob.status'] });
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada.status' }).click();

    await ada.page.getByRole('button', { name: /account, theme and sign out/ }).click();
    await ada.page.getByTestId('my-status').getByText('Set a status').click();
    const dialog = ada.page.getByRole('dialog', { name: 'Set a status' });
    await dialog.getByRole('button', { name: /In a meeting/ }).click();
    await saveScreenshot(ada.page, 'status-1280-light');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await bob.page.getByTestId('peer-status').getByText('📅 In a meeting').waitFor();
    // And beside her name in the list (a page of its own on Bob's phone: there, not shown now).
    await bob.page
      .getByTestId('conversation')
      .filter({ hasText: 'ada.status' })
      .locator('[data-testid="list-status"][title="📅 In a meeting"]')
      .waitFor({ state: 'attached' });
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(bob.page, 'status-peer-390-dark');

    await ada.page.getByRole('button', { name: /account, theme and sign out/ }).click();
    await ada.page.getByTestId('my-status').getByText('📅 In a meeting · Edit').click();
    await dialog.getByRole('button', { name: 'Clear status' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await bob.page.getByTestId('peer-status').waitFor({ state: 'detached' });
    await ada.context.close();
    await bob.context.close();
  });
});

/** Chooses a `width` × `height` photo with `where`'s "Add a picture", and waits until it is saved. */
async function addPicture(page: Page, where: Locator, width: number, height: number) {
  const chooser = page.waitForEvent('filechooser');
  await where.getByRole('button', { name: 'Add a picture' }).click();
  await (await chooser).setFiles([
    { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(await testPhoto(width, height)) },
  ]);
  await where.getByText('Picture saved.').waitFor();
}

describe('profile pictures in the browser', () => {
  const web = useWebApp('avatars');

  it('takes a picture on the account page and shows it to the other person, live, until it is removed', async () => {
    const ada = await web.personAt('ada.avatar');
    const bob = await web.personAt('bob.avatar', { viewport: { width: 390, height: 844 } });
    await startConversation(ada.page, 'Direct', { usernames: ['bob.avatar'] });
    const adaForBob = bob.page.getByTestId('conversation').filter({ hasText: 'ada.avatar' });
    await adaForBob.waitFor();

    await fromUserMenu(ada.page, 'Account');
    await addPicture(ada.page, ada.page.locator('body'), 640, 480);
    // Mine, beside my name, and Bob's view of me, live: the same picture, square.
    await ada.page
      .getByRole('button', { name: /account, theme and sign out/ })
      .getByTestId('avatar')
      .waitFor();
    const picture = adaForBob.getByTestId('avatar');
    await picture.waitFor();
    await bob.page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="conversation"] [data-testid="avatar"]');
      return image?.complete === true && image.naturalWidth === 256 && image.naturalHeight === 256;
    });
    await saveScreenshot(ada.page, 'account-picture-1280-light');
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(bob.page, 'avatars-390-dark');

    await ada.page.getByRole('button', { name: 'Remove' }).click();
    await picture.waitFor({ state: 'detached' });
    await ada.context.close();
    await bob.context.close();
  });

  it('gives a group a picture from its settings, which members see in their list, live, with a note', async () => {
    const ada = await web.personAt('ada.group-pic');
    const bob = await web.personAt('bob.group-pic', { viewport: { width: 390, height: 844 } });
    await startConversation(ada.page, 'Group', { title: 'Pictured', usernames: ['bob.group-pic'] });
    const groupForBob = bob.page.getByTestId('conversation').filter({ hasText: 'Pictured' });
    await groupForBob.waitFor();

    await ada.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = ada.page.getByRole('dialog', { name: 'Group settings' });
    await addPicture(ada.page, settings, 800, 600);
    await saveScreenshot(ada.page, 'group-picture-1280-light');
    await groupForBob.getByTestId('avatar').waitFor();
    await groupForBob.click();
    await bob.page.getByTestId('message-list').getByText('ada.group-pic changed the group picture').waitFor();
    // In the open group's header too; and in a group, who wrote what shows by picture (initials without one).
    await bob.page.getByTestId('conversation-header').getByTestId('avatar').waitFor({ state: 'attached' });
    // (The settings dialog, open, is in the header too, with the picture: the header's own comes first.)
    await ada.page.getByTestId('conversation-header').getByTestId('avatar').first().waitFor();
    await write(bob.page, 'hello from bob');
    await ada.page.getByTestId('message-list').getByTestId('avatar-initials').filter({ hasText: 'B' }).waitFor();
    await expect(bob.page.getByTestId('message-list').getByTestId('avatar-initials').count()).resolves.toBe(0);
    await expect(settings.getByTestId('group-member').getByTestId('avatar-initials').count()).resolves.toBe(2);
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(bob.page, 'group-picture-header-390-dark');

    await settings.getByRole('button', { name: 'Remove' }).click();
    await ada.page
      .getByTestId('conversation')
      .filter({ hasText: 'Pictured' })
      .getByTestId('avatar')
      .waitFor({ state: 'detached' });
    await bob.page.getByTestId('message-list').getByText('ada.group-pic removed the group picture').waitFor();
    await ada.page.keyboard.press('Escape');
    await settings.waitFor({ state: 'hidden' });
    await saveScreenshot(ada.page, 'group-senders-1280-light');
    await ada.context.close();
    await bob.context.close();
  });
});

describe('away in the browser', () => {
  const web = useWebApp('away');

  it('shows someone away once they leave their only device idle, and back when they use it', async () => {
    const bob = await web.personAt('bob.away');
    const adaContext = await web.browser.newContext();
    const adaPage = await adaContext.newPage();
    // Ada's page keeps its own time, moved on below instead of waiting ten minutes.
    await adaPage.clock.install();
    await adaPage.goto(web.server.url.href);
    await signUpInPage(adaPage, 'ada.away');
    await startConversation(adaPage, 'Direct', { usernames: ['bob.away'] });
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada.away' }).click();
    const status = bob.page.getByTestId('conversation-status');
    await status.getByText('online', { exact: true }).waitFor();

    await adaPage.clock.fastForward(IDLE_AFTER_MS);
    await status.getByText('away', { exact: true }).waitFor();
    await bob.page.getByTestId('conversation').locator('[data-presence="away"]').waitFor();
    await saveScreenshot(bob.page, 'away-1280-light');

    await adaPage.mouse.move(200, 200);
    await status.getByText('online', { exact: true }).waitFor();
    await adaContext.close();
    await bob.context.close();
  });
});
