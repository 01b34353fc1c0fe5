import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { loadTestServices, TEST_PASSWORD } from '@gopherchat/server/testing';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH overrides (e.g. Chrome on GitHub runners). */
const CHROMIUM = loadTestServices().chromiumPath;

export const REPO_ROOT = resolve(import.meta.dir, '../../..');
export const ARTIFACTS_DIR = resolve(REPO_ROOT, 'test-artifacts');

export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine has no network beyond loopback: keep Chromium from trying.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

/** Saves a full-page screenshot under test-artifacts/ (kept by CI). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = resolve(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Creates an account through the sign-up form, as a person would, and waits for the app shell. */
export async function signUpInPage(page: Page, username: string) {
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByTestId('strength-meter').getByText('Good to go.').waitFor();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('signed-in-as').getByText(username).waitFor();
}

/**
 * Finds someone by typing into the people picker labelled `label` (inside
 * `scope`, e.g. a dialog) and picks them from the suggestions: the one whose
 * username is exactly `query`, or the first suggestion matching `option`.
 */
export async function pickPerson(scope: Locator, label: string, query: string, option?: RegExp) {
  await scope.getByRole('combobox', { name: label }).fill(query);
  const escaped = query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await scope
    .getByRole('option', { name: option ?? new RegExp(`@${escaped}$`) })
    .first()
    .click();
}

/** Starts a conversation from the new-conversation dialog with the people of these usernames. */
export async function startConversation(
  page: Page,
  kind: 'Direct' | 'Group',
  options: { title?: string; usernames: string[] },
) {
  await page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('tab', { name: kind }).click();
  if (options.title !== undefined) await dialog.getByLabel('Group name').fill(options.title);
  for (const username of options.usernames) {
    await pickPerson(dialog, kind === 'Direct' ? 'Person' : 'Members', username);
  }
  await dialog.getByRole('button', { name: kind === 'Direct' ? 'Start' : 'Create group' }).click();
  await dialog.waitFor({ state: 'hidden' });
}
