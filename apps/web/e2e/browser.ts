import { afterAll, beforeAll } from 'bun:test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AUTH_COOKIE_PATH, CSRF_HEADER } from '@gopherchat/api';
import {
  CHROMIUM_ARGS,
  loadTestServices,
  type SpawnedServer,
  signedInClient,
  spawnServer,
  TEST_PASSWORD,
} from '@gopherchat/server/testing';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; CHROMIUM_PATH overrides (e.g. Chrome on GitHub runners). */
const CHROMIUM = loadTestServices().chromiumPath;

export const REPO_ROOT = resolve(import.meta.dir, '../../..');
export const ARTIFACTS_DIR = resolve(REPO_ROOT, 'test-artifacts');

export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

/** Saves a full-page screenshot under test-artifacts/ (kept by CI). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = resolve(ARTIFACTS_DIR, `${name}.png`);
  // Transitions finished: a theme switched just before would otherwise be caught halfway.
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
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

let isWebAppBuilt = false;

/** Builds apps/web/dist once per test run: every browser test file serves the same build. */
export function buildWebAppOnce() {
  if (isWebAppBuilt) return;
  const build = Bun.spawnSync(['bun', 'run', '--filter', '@gopherchat/web', 'build'], { cwd: REPO_ROOT });
  if (build.exitCode !== 0) throw new Error(`web build failed:\n${build.stderr.toString()}`);
  isWebAppBuilt = true;
}

/**
 * For a describe block: builds the web app (once per run), serves it from a real server on
 * the embedded defaults (its own data directory and object store), and
 * launches Chromium; all of it goes after the block. Read `server` and
 * `browser` inside tests (they exist once the block has started).
 */
export function useWebApp(label: string, env: Record<string, string> = {}) {
  let server: SpawnedServer | undefined;
  let browser: (Browser & AsyncDisposable) | undefined;

  beforeAll(async () => {
    buildWebAppOnce();
    server = await spawnServer({
      DATA_DIR: mkdtempSync(join(tmpdir(), `gopherchat-e2e-${label}-`)),
      WEB_DIST_DIR: join(REPO_ROOT, 'apps/web/dist'),
      // Everyone in these tests signs up from the one loopback address.
      REGISTER_LIMIT_PER_IP: '100',
      ...env,
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.[Symbol.asyncDispose]();
    await server?.[Symbol.asyncDispose]();
  });

  const started = <T>(value: T | undefined): T => {
    if (!value) throw new Error('the web app has not started: use it inside tests');
    return value;
  };

  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    /** `username`, signed up in a browser context of their own (a viewport, a colour scheme…). */
    async personAt(username: string, options: BrowserContextOptions = {}) {
      const context = await started(browser).newContext(options);
      const page = await context.newPage();
      await page.goto(started(server).url.href);
      await signUpInPage(page, username);
      return { context, page };
    },
  };
}

/** An SDK client signed in as the person on `page` (from their session cookie): quicker than typing hundreds of messages. */
export async function apiAs(serverUrl: URL, page: Page) {
  const token = await page.evaluate(
    async ({ path, header }) => {
      const response = await fetch(`${path}/refresh`, { method: 'POST', headers: { [header]: '1' } });
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    { path: AUTH_COOKIE_PATH, header: CSRF_HEADER },
  );
  return signedInClient(serverUrl, token);
}

/**
 * Picks `item` ('Account', 'Announcements', 'Sign out') from the menu under
 * the signed-in person's name, at the top of the sidebar; on a phone showing
 * a conversation, goes back to the list first.
 */
export async function fromUserMenu(page: Page, item: 'Account' | 'Announcements' | 'Sign out') {
  const menuButton = page.getByRole('button', { name: /account, theme and sign out$/ });
  const back = page.getByRole('button', { name: 'Back to conversations' });
  await menuButton.or(back).first().waitFor();
  if (!(await menuButton.isVisible())) await back.click();
  await menuButton.click();
  await page.locator('#user-menu').getByRole('button', { name: item, exact: true }).click();
}

/** In a group's settings, removes the member named `name`, answering the question it asks first. */
export async function removeFromGroup(settings: Locator, name: string) {
  await settings.getByRole('button', { name: `Manage ${name}` }).click();
  await settings.getByRole('button', { name: 'Remove from group' }).click();
  await settings.getByText(`Remove ${name} from the group?`).waitFor();
  await settings.getByRole('button', { name: 'Remove', exact: true }).click();
}

/** Writes `text` in the composer and sends it with Enter. */
export async function write(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

/** The step that shows picked files before they go. */
export const filesToSend = (page: Page) => page.getByRole('dialog', { name: /^Send (a file|\d+ files)$/ });

/** Sends the files shown in the step before sending, with the caption it has. */
export async function sendPickedFiles(page: Page) {
  const dialog = filesToSend(page);
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** Picks files with the composer's paperclip and, unless told not to, sends them, as a person would. */
export async function attach(
  page: Page,
  files: Array<{ name: string; mimeType: string; buffer: Buffer }>,
  options: { isSent?: boolean } = {},
) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles(files);
  if (options.isSent ?? true) await sendPickedFiles(page);
}

/** The list entry of the message that says exactly `text`, with its quote, actions, reactions and marks. */
export const messageRowOf = (page: Page, text: string) =>
  page
    .getByTestId('message-list')
    .locator('li[data-seq]')
    .filter({ has: page.getByTestId('message').getByText(text, { exact: true }) });

/** The texts of the message bubbles rendered on `page`. */
export const messagesOn = (page: Page) => page.getByTestId('message-list').getByTestId('message').allTextContents();
