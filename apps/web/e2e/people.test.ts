import { describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { fromUserMenu, pickPerson, removeFromGroup, saveScreenshot, useWebApp, write } from './browser.ts';

/** Finding people by name, and everyone's names kept right, in real browsers against the built app. */
describe('people in the browser', () => {
  const web = useWebApp('people');

  /** Saves a new display name on the account page, and goes back to the chats. */
  async function rename(page: Page, displayName: string) {
    await fromUserMenu(page, 'Account');
    await page.getByLabel('Display name').fill(displayName);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByTestId('toast').getByText('Display name saved.').waitFor();
    await page.getByRole('button', { name: 'Back to conversations' }).click();
  }

  it('names yourself on the account page: pending, refused in words, then saved everywhere', async () => {
    const { context, page } = await web.personAt('nadia');
    await fromUserMenu(page, 'Account');
    const field = page.getByLabel('Display name');
    await expect(field.inputValue()).resolves.toBe('nadia');

    await field.fill('   ');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('alert').getByText('Enter a display name.').waitFor();
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');

    // Held on its way: the form shows that it is saving, and cannot be sent twice.
    const isUpdate = (url: URL) => url.pathname.includes('users.updateProfile');
    const { promise: isReleased, resolve: release } = Promise.withResolvers<void>();
    await page.route(isUpdate, async (route) => {
      await isReleased;
      await route.continue();
    });
    await field.fill('Nadia Boulanger');
    await page.getByRole('main').getByRole('alert').waitFor({ state: 'detached' });
    const saving = page.getByRole('button', { name: 'Saving…' });
    await page.getByRole('button', { name: 'Save name' }).click();
    await expect(saving.isDisabled()).resolves.toBe(true);
    release();
    await page.getByTestId('toast').getByText('Display name saved.').waitFor();
    await page.unroute(isUpdate);
    await page.getByTestId('signed-in-as').getByText('Nadia Boulanger').waitFor();
    await saveScreenshot(page, 'people-account-name');

    // Kept: a reload shows it too.
    await page.reload();
    await page.getByTestId('signed-in-as').getByText('Nadia Boulanger').waitFor();
    await context.close();
  });

  it('finds someone by the first letters of their display name, and shows their new name live', async () => {
    const ada = await web.personAt('ada');
    const bob = await web.personAt('robert');
    await rename(bob.page, 'Bob Ross');
    await bob.page.getByTestId('signed-in-as').getByText('Bob Ross').waitFor();

    await ada.page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = ada.page.getByRole('dialog');
    const person = dialog.getByRole('combobox', { name: 'Person' });

    // Nobody by that name; Escape closes the suggestions, not the dialog.
    await person.fill('zz');
    await dialog.getByTestId('people-picker-status').getByText('No one found').waitFor();
    await expect(person.getAttribute('aria-expanded')).resolves.toBe('true');
    await person.press('Escape');
    await expect(person.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(dialog.isVisible()).resolves.toBe(true);

    // "Bo" is the start of his display name, not of his username. Ada never shows up for herself.
    await person.fill('Bo');
    const suggestion = dialog.getByRole('option', { name: 'Bob Ross @robert' });
    await suggestion.waitFor();
    await expect(dialog.getByRole('option').count()).resolves.toBe(1);
    await person.fill('a');
    await dialog.getByTestId('people-picker-status').getByText('No one found').waitFor();
    await person.fill('bo');
    await suggestion.waitFor();
    const optionId = await suggestion.getAttribute('id');
    await person.press('ArrowDown');
    await expect(person.getAttribute('aria-activedescendant')).resolves.toBe(optionId);
    await expect(suggestion.getAttribute('aria-selected')).resolves.toBe('true');
    await saveScreenshot(ada.page, 'people-picker');
    await person.press('Enter');
    await dialog.getByTestId('picked-person').getByText('Bob Ross').waitFor();
    await expect(person.inputValue()).resolves.toBe('');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await ada.page.getByTestId('conversation-title').getByText('Bob Ross').waitFor();

    await write(ada.page, 'Hi Bob');
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada' }).click();
    await bob.page.getByTestId('message-list').getByText('Hi Bob').waitFor();
    await write(bob.page, 'Hello from Bob');
    const adasList = ada.page.getByTestId('message-list');
    await adasList.getByText('Hello from Bob').waitFor();
    await adasList.getByText('Bob Ross', { exact: true }).waitFor();

    // Bob renames himself: Ada's header, list and messages follow, with no reload.
    await rename(bob.page, 'Roberto');
    await bob.page.getByTestId('signed-in-as').getByText('Roberto').waitFor();
    await ada.page.getByTestId('conversation-title').getByText('Roberto').waitFor();
    await ada.page.getByTestId('conversation').filter({ hasText: 'Roberto' }).waitFor();
    await adasList.getByText('Roberto', { exact: true }).waitFor();
    await expect(adasList.getByText('Bob Ross').count()).resolves.toBe(0);
    await saveScreenshot(ada.page, 'people-renamed-live');
    await ada.context.close();
    await bob.context.close();
  });

  it('still names someone removed from a group on their old messages after a reload', async () => {
    const ada = await web.personAt('ada.group');
    const bob = await web.personAt('bob.group');
    await rename(bob.page, 'Bobby Group');

    await ada.page.getByRole('button', { name: 'New conversation' }).click();
    const dialog = ada.page.getByRole('dialog');
    await dialog.getByRole('tab', { name: 'Group' }).click();
    await dialog.getByLabel('Group name').fill('Club');
    await pickPerson(dialog, 'Members', 'Bobby', /^Bobby Group @bob\.group$/);
    await dialog.getByTestId('picked-person').getByText('Bobby Group').waitFor();
    await dialog.getByRole('button', { name: 'Deselect Bobby Group' }).click();
    await expect(dialog.getByTestId('picked-person').count()).resolves.toBe(0);
    await pickPerson(dialog, 'Members', 'bob.group');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await bob.page.getByTestId('conversation').filter({ hasText: 'Club' }).click();
    await write(bob.page, 'Bob was here');
    const adasList = ada.page.getByTestId('message-list');
    await adasList.getByText('Bob was here').waitFor();

    await ada.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = ada.page.getByRole('dialog', { name: 'Group settings' });
    await removeFromGroup(settings, 'Bobby Group');
    await settings.getByTestId('group-member').filter({ hasText: '@bob.group' }).waitFor({ state: 'detached' });
    await settings.getByRole('button', { name: 'Close' }).click();
    await adasList.getByText('You removed Bobby Group').waitFor();

    // Without the snapshot kept for offline use, whose names would cover for the lookup.
    await ada.context.addInitScript(() => {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith('gopherchat.offline.')) localStorage.removeItem(key);
      }
    });
    const isProfiles = (url: URL) => url.pathname.includes('users.profiles');
    const asked = ada.page.waitForRequest((request) => isProfiles(new URL(request.url())));
    await ada.page.reload();
    await ada.page.getByTestId('conversation').filter({ hasText: 'Club' }).click();
    await adasList.getByText('Bob was here').waitFor();
    await asked;
    await adasList.getByText('You removed Bobby Group').waitFor();
    await adasList.getByText('Bobby Group', { exact: true }).waitFor();
    await expect(adasList.getByText('Someone').count()).resolves.toBe(0);
    await saveScreenshot(ada.page, 'people-former-member');
    await ada.context.close();
    await bob.context.close();
  });
});
