import { describe, expect, it } from 'bun:test';
import { messageRowOf, saveScreenshot, startConversation, useWebApp, write } from './browser.ts';

/** Pinned messages in real browsers. */
describe('pinned messages in the browser', () => {
  const web = useWebApp('pins');

  it('pins a message for both people, lists it under Pinned, and shows it from there', async () => {
    const ada = await web.personAt('ada.pins');
    const bob = await web.personAt('bob.pins', { viewport: { width: 390, height: 844 } });
    await startConversation(ada.page, 'Direct', { usernames: ['bob.pins'] });
    await write(ada.page, 'The door code is 4321');
    await write(ada.page, 'See you at eight');
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada.pins' }).click();
    await messageRowOf(bob.page, 'See you at eight').waitFor();

    // Bob pins Ada's first message from its menu.
    const row = messageRowOf(bob.page, 'The door code is 4321');
    await row.getByRole('button', { name: 'Message actions' }).click();
    await bob.page.getByRole('menuitem', { name: 'Pin', exact: true }).click();
    await row.getByTestId('pinned-mark').getByText('Pinned by you').waitFor();
    await messageRowOf(ada.page, 'The door code is 4321')
      .getByTestId('pinned-mark')
      .getByText('Pinned by bob.pins')
      .waitFor();
    await ada.page.getByTestId('message-list').getByText('bob.pins pinned a message').waitFor();

    // Listed under Pinned; choosing it shows it in the conversation.
    await ada.page.getByRole('button', { name: 'Pinned', exact: true }).click();
    const pins = ada.page.getByRole('dialog', { name: 'Pinned messages' });
    await pins.getByTestId('pinned-message').getByText('The door code is 4321').waitFor();
    await saveScreenshot(ada.page, 'pins-1280-light');
    await pins.getByTestId('pinned-message').click();
    await ada.page.waitForFunction(() => document.activeElement?.textContent === 'The door code is 4321');

    // Unpinned, it leaves the list.
    await row.getByRole('button', { name: 'Message actions' }).click();
    await bob.page.getByRole('menuitem', { name: 'Unpin' }).click();
    await messageRowOf(ada.page, 'The door code is 4321').getByTestId('pinned-mark').waitFor({ state: 'detached' });
    await bob.page.getByRole('button', { name: 'Pinned', exact: true }).click();
    const bobsPins = bob.page.getByRole('dialog', { name: 'Pinned messages' });
    await bobsPins.getByText('Nothing is pinned yet.', { exact: false }).waitFor();
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(bob.page, 'pins-empty-390-dark');
    await expect(bobsPins.getByTestId('pinned-message').count()).resolves.toBe(0);
    await ada.context.close();
    await bob.context.close();
  });
});
