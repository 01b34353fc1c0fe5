import { describe, expect, it } from 'bun:test';
import { saveScreenshot, startConversation, useWebApp } from './browser.ts';

/** Running a group with others in real browsers: admins, and handing the group on. */
describe('group roles in the browser', () => {
  const web = useWebApp('group-roles');

  it('makes an admin, hands the group to someone else after asking, and lets an admin step down', async () => {
    const [ada, bob, cyd] = await Promise.all([
      web.personAt('ada.roles'),
      web.personAt('bob.roles', { viewport: { width: 390, height: 844 } }),
      web.personAt('cyd.roles'),
    ]);
    await startConversation(ada.page, 'Group', { title: 'Crew', usernames: ['bob.roles', 'cyd.roles'] });
    await bob.page.getByTestId('conversation').filter({ hasText: 'Crew' }).click();
    await cyd.page.getByTestId('conversation').filter({ hasText: 'Crew' }).click();

    await ada.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = ada.page.getByRole('dialog', { name: 'Group settings' });
    const memberRow = (username: string) => settings.getByTestId('group-member').filter({ hasText: `@${username}` });

    // Bob becomes an admin: he is told, and may now rename the group.
    await settings.getByRole('button', { name: 'Manage bob.roles' }).click();
    await settings.getByRole('button', { name: 'Make admin' }).click();
    await memberRow('bob.roles').getByText('Admin', { exact: true }).waitFor();
    // The list's preview names him too (it said "You made Someone an admin").
    await ada.page.getByTestId('conversation').getByText('You made bob.roles an admin').waitFor();
    await bob.page.getByTestId('message-list').getByText('ada.roles made you an admin').waitFor();
    await bob.page.getByRole('button', { name: 'Group settings' }).click();
    const bobsSettings = bob.page.getByRole('dialog', { name: 'Group settings' });
    await bobsSettings.getByLabel('Group name').waitFor();
    await saveScreenshot(bob.page, 'group-roles-admin-390-light');

    // Handing the group on asks first; Cancel keeps it.
    await settings.getByRole('button', { name: 'Manage cyd.roles' }).click();
    await settings.getByRole('button', { name: 'Make owner' }).click();
    await settings.getByText('Make cyd.roles the owner? You will stay on as an admin.').waitFor();
    await ada.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(ada.page, 'group-roles-confirm-1280-dark');
    await settings.getByRole('button', { name: 'Cancel' }).click();
    await expect(memberRow('ada.roles').getByText('Owner', { exact: true }).count()).resolves.toBe(1);
    await settings.getByRole('button', { name: 'Make owner' }).click();
    await settings.getByRole('button', { name: 'Make owner' }).click();
    await memberRow('cyd.roles').getByText('Owner', { exact: true }).waitFor();
    await memberRow('ada.roles').getByText('Admin', { exact: true }).waitFor();
    await cyd.page.getByTestId('message-list').getByText('ada.roles made you the owner').waitFor();

    // An admin steps down; as a member again he has nothing to manage.
    await bobsSettings.getByRole('button', { name: 'Manage bob.roles' }).click();
    await bobsSettings.getByRole('button', { name: 'Step down as admin' }).click();
    await ada.page.getByTestId('message-list').getByText('bob.roles stepped down as admin').waitFor();
    await bobsSettings.getByLabel('Group name').waitFor({ state: 'detached' });
    // His row goes back to "Member" once the member list is fetched again, and with it the last "Manage".
    await bobsSettings.getByTestId('group-member').filter({ hasText: '@bob.roles' }).getByText('Member').waitFor();
    await expect(bobsSettings.getByRole('button', { name: /^Manage / }).count()).resolves.toBe(0);
    await Promise.all([ada, bob, cyd].map((person) => person.context.close()));
  });
});
