import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { loadTestServices, TEST_PASSWORD } from '@gopherchat/server/testing';
import { type Browser, chromium, type Page } from 'playwright-core';

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
