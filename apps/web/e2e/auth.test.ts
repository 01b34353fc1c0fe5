import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAUTH_ERROR_MESSAGES } from '@gopherchat/api';
import {
  type FakeProvider,
  type SpawnedServer,
  spawnServer,
  startFakeProvider,
  TEST_PASSWORD,
} from '@gopherchat/server/testing';
import { buildWebAppOnce, fromUserMenu, launchBrowser, REPO_ROOT, saveScreenshot, signUpInPage } from './browser.ts';

/**
 * Accounts and sessions in a real browser, against the server serving the
 * built web app.
 */
describe('accounts in the browser', () => {
  let server: SpawnedServer;
  let github: FakeProvider;

  beforeAll(async () => {
    buildWebAppOnce();
    github = await startFakeProvider('github');
    server = await spawnServer({
      DATA_DIR: mkdtempSync(join(tmpdir(), 'gopherchat-e2e-auth-')),
      WEB_DIST_DIR: join(REPO_ROOT, 'apps/web/dist'),
      ...github.env,
    });
  });

  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
    await github?.[Symbol.asyncDispose]();
  });

  /**
   * The app as `localhost`, the provider as 127.0.0.1: two sites, so the
   * browser applies its cross-site cookie rules to the round trip.
   */
  const appUrlAsLocalhost = () => `http://localhost:${server.url.port}/`;

  it('signs up, stays signed in across a reload, and is signed out when revoked from another device', async () => {
    await using browser = await launchBrowser();
    const laptop = await (await browser.newContext()).newPage();
    await laptop.goto(server.url.href);
    await signUpInPage(laptop, 'reloader');

    // A reload keeps the session: the refresh cookie restores it silently.
    await laptop.reload();
    await laptop.getByTestId('signed-in-as').getByText('reloader').waitFor();

    // Signing out and back in.
    await fromUserMenu(laptop, 'Sign out');
    await laptop.getByRole('tab', { name: 'Sign in' }).waitFor();
    await laptop.getByLabel('Username or email').fill('reloader@example.com');
    await laptop.getByLabel('Password').fill('wrong-password-here');
    await laptop.getByRole('button', { name: 'Sign in' }).click();
    await expect(laptop.getByRole('alert').textContent()).resolves.toBe(
      'That username or email and password do not match.',
    );
    await laptop.getByLabel('Password').fill(TEST_PASSWORD);
    await laptop.getByRole('button', { name: 'Sign in' }).click();
    await laptop.getByTestId('signed-in-as').getByText('reloader').waitFor();
    await laptop.locator('[data-testid="chat"][data-live="live"]').waitFor();

    // A second device signs in and revokes the first from the sessions page.
    const phone = await (await browser.newContext({ viewport: { width: 390, height: 780 } })).newPage();
    await phone.goto(server.url.href);
    await phone.getByLabel('Username or email').fill('reloader');
    await phone.getByLabel('Password').fill(TEST_PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await fromUserMenu(phone, 'Account');
    await phone.getByTestId('session').nth(1).waitFor();
    await expect(phone.getByTestId('session').count()).resolves.toBe(2);
    await saveScreenshot(phone, 'sessions-page');
    await phone.getByTestId('session').getByRole('button', { name: 'Sign out' }).click();

    // The laptop's socket is closed by the server; its refresh fails; it is signed out.
    await laptop.getByText('Your session has ended. Please sign in again.').waitFor();
    await laptop.getByRole('tab', { name: 'Sign in' }).waitFor();
    await saveScreenshot(laptop, 'signed-out-after-revoke');
    await phone.getByTestId('session').nth(1).waitFor({ state: 'detached' });
    await expect(phone.getByTestId('session').count()).resolves.toBe(1);
  });

  it('shows the live strength meter and the server’s verdict on weak passwords', async () => {
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(server.url.href);
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill('meter');
    await page.getByLabel('Email').fill('meter@example.com');
    await page.getByLabel('Password').fill('password1');
    await page.getByTestId('strength-meter').getByText('Very weak.').waitFor();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').getByText('This password is too easy to guess.', { exact: false }).waitFor();
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByTestId('strength-meter').getByText('Good to go.').waitFor();
    await saveScreenshot(page, 'sign-up');
  });

  it('signs in with GitHub through the provider and back, and stays signed in across a reload', async () => {
    github.signInAs({
      subject: '4242',
      email: 'octocat@example.com',
      isEmailVerified: true,
      login: 'octocat',
      name: 'The Octocat',
    });
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(appUrlAsLocalhost());
    await saveScreenshot(page, 'sign-in-with-providers');
    await page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await page.getByTestId('signed-in-as').getByText('The Octocat').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    await page.reload();
    await page.getByTestId('signed-in-as').getByText('The Octocat').waitFor();
    await fromUserMenu(page, 'Account');
    await page.getByTestId('sign-in-methods').getByText('You sign in with GitHub.').waitFor();
    await expect(page.getByRole('form', { name: 'Change password' }).count()).resolves.toBe(0);
  });

  it('explains in place why a provider sign-in failed', async () => {
    github.signInAs({
      subject: '4343',
      email: 'unverified@example.com',
      isEmailVerified: false,
      login: 'x',
      name: null,
    });
    await using browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(appUrlAsLocalhost());
    await page.getByRole('link', { name: 'Continue with GitHub' }).click();
    await page.getByRole('status').getByText(OAUTH_ERROR_MESSAGES.no_verified_email).waitFor();
    // The code is gone from the address bar: a reload does not repeat the message.
    expect(new URL(page.url()).search).toBe('');
    await saveScreenshot(page, 'provider-sign-in-failed');
  });

  it('changes the password on the account page, which signs the other device out', async () => {
    await using browser = await launchBrowser();
    const laptop = await (await browser.newContext()).newPage();
    await laptop.goto(server.url.href);
    await signUpInPage(laptop, 'rotator');
    const phone = await (await browser.newContext()).newPage();
    await phone.goto(server.url.href);
    await phone.getByLabel('Username or email').fill('rotator');
    await phone.getByLabel('Password').fill(TEST_PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.getByTestId('signed-in-as').getByText('rotator').waitFor();

    await fromUserMenu(laptop, 'Account');
    await laptop.getByLabel('Current password').fill('not-my-password');
    await laptop.getByLabel('New password').fill('orbit-lantern-meadow-58');
    await laptop.getByRole('button', { name: 'Change password' }).click();
    await laptop.getByRole('alert').getByText('Your current password is not correct.').waitFor();
    await laptop.getByLabel('Current password').fill(TEST_PASSWORD);
    await laptop.getByRole('button', { name: 'Change password' }).click();
    await laptop.getByText('Password changed. Your other devices were signed out.').waitFor();
    await saveScreenshot(laptop, 'account-page');

    await phone.getByText('Your session has ended. Please sign in again.').waitFor();
    await laptop.reload();
    await laptop.getByTestId('signed-in-as').getByText('rotator').waitFor();
  });
});
