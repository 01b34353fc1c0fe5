import { describe, expect, it } from 'bun:test';
import type { Page } from 'playwright-core';
import { messageRowOf, messagesOn, saveScreenshot, startConversation, useWebApp, write } from './browser.ts';

/** Reactions and emoji in real browsers, against the server serving the built web app. */
describe('reactions and emoji in the browser', () => {
  const web = useWebApp('reactions');

  /** The chip of `emoji` under the message that says `text`. */
  const chipOf = (page: Page, text: string, emoji: string) =>
    messageRowOf(page, text).getByTestId('reaction').filter({ hasText: emoji });

  /** The chip under the message that says `text` whose words (count and who) are `label`. */
  const chipLabelled = (page: Page, text: string, label: string) =>
    messageRowOf(page, text).getByRole('button', { name: label, exact: true });

  /** Whatever the page's Content-Security-Policy refused: the picker must need nothing it forbids. */
  function cspViolationsOn(page: Page) {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    return violations;
  }

  it('shows reactions live both ways, toggles them, and picks any emoji from the picker', async () => {
    const ada = await web.personAt('ada');
    const bob = await web.personAt('bob', { viewport: { width: 390, height: 844 } });
    const violations = [...cspViolationsOn(ada.page), ...cspViolationsOn(bob.page)];
    await startConversation(ada.page, 'Direct', { usernames: ['bob'] });
    await write(ada.page, 'Ship it?');
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada' }).click();
    await messageRowOf(bob.page, 'Ship it?').waitFor();

    // Bob reacts from the message's menu: the quick row.
    const row = messageRowOf(bob.page, 'Ship it?');
    await row.getByRole('button', { name: 'Message actions' }).click();
    await bob.page.getByRole('menuitem', { name: 'React with 👍' }).click();
    const adasThumbs = chipOf(ada.page, 'Ship it?', '👍');
    await adasThumbs.waitFor();
    await expect(adasThumbs.getAttribute('aria-label')).resolves.toBe('👍 1: bob');
    await expect(adasThumbs.getAttribute('aria-pressed')).resolves.toBe('false');

    // Ada joins in with a tap on the chip; Bob sees two, with her name.
    await adasThumbs.click();
    await expect(adasThumbs.getAttribute('aria-pressed')).resolves.toBe('true');
    await chipLabelled(bob.page, 'Ship it?', '👍 2: ada and you').waitFor();

    // Any other emoji: the picker, searched by name, picked with Enter.
    await messageRowOf(ada.page, 'Ship it?').getByRole('button', { name: 'Add a reaction' }).click();
    const picker = ada.page.getByRole('dialog', { name: 'React to your message' });
    await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('rocket');
    await picker.getByRole('button', { name: 'rocket' }).waitFor();
    await saveScreenshot(ada.page, 'emoji-picker-search-1280-light');
    await picker.getByRole('searchbox', { name: 'Search emoji' }).press('Enter');
    await picker.waitFor({ state: 'detached' });
    await chipOf(bob.page, 'Ship it?', '🚀').waitFor();

    // Browsing a category on the phone: a sheet along the bottom.
    await messageRowOf(bob.page, 'Ship it?').getByRole('button', { name: 'Add a reaction' }).click();
    const bobsPicker = bob.page.getByRole('dialog', { name: 'React to ada’s message' });
    await bobsPicker.getByRole('button', { name: 'Food and drink' }).click();
    await saveScreenshot(bob.page, 'emoji-picker-categories-390-light');
    await bobsPicker.getByRole('button', { name: 'red apple' }).click();
    await chipOf(ada.page, 'Ship it?', '🍎').waitFor();

    // Taking one back.
    await adasThumbs.click();
    await chipLabelled(bob.page, 'Ship it?', '👍 1: you').waitFor();
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(bob.page, 'reactions-390-dark');
    await ada.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(ada.page, 'reactions-1280-dark');
    expect(violations).toEqual([]);
    await ada.context.close();
    await bob.context.close();
  });

  it('gives a reader who was offline the reactions made meanwhile', async () => {
    const cy = await web.personAt('cyd');
    const dee = await web.personAt('dee');
    await startConversation(cy.page, 'Direct', { usernames: ['dee'] });
    await write(cy.page, 'Lunch?');
    await dee.page.getByTestId('conversation').filter({ hasText: 'cyd' }).click();
    await messageRowOf(dee.page, 'Lunch?').waitFor();

    await cy.context.setOffline(true);
    await cy.page.getByTestId('connection-banner').waitFor();
    const row = messageRowOf(dee.page, 'Lunch?');
    await row.getByRole('button', { name: 'Message actions' }).click();
    await dee.page.getByRole('menuitem', { name: 'React with 🎉' }).click();
    await chipOf(dee.page, 'Lunch?', '🎉').waitFor();

    await cy.context.setOffline(false);
    const chip = chipOf(cy.page, 'Lunch?', '🎉');
    await chip.waitFor();
    await expect(chip.getAttribute('aria-label')).resolves.toBe('🎉 1: dee');
    await cy.context.close();
    await dee.context.close();
  });

  it('puts emoji in messages from the picker and from :shortcodes:', async () => {
    const eve = await web.personAt('eve');
    await startConversation(eve.page, 'Group', { title: 'Notes', usernames: [] });
    const field = eve.page.getByRole('textbox', { name: 'Message' });

    // A code typed in part: suggestions, the exact one first; Enter takes it.
    await field.pressSequentially('Done :tad');
    const suggestions = eve.page.getByTestId('shortcode-suggestions');
    await suggestions.getByRole('option', { name: /:tada:/ }).waitFor();
    await saveScreenshot(eve.page, 'emoji-shortcodes-1280-light');
    await field.press('Enter');
    await expect(field.inputValue()).resolves.toBe('Done 🎉');
    // A code typed whole becomes its emoji; times and addresses stay as they are.
    await field.pressSequentially(' at 12:30 :rocket:');
    await expect(field.inputValue()).resolves.toBe('Done 🎉 at 12:30 🚀');
    // Escape closes the list and keeps what was typed.
    await field.pressSequentially(' :smil');
    await suggestions.waitFor();
    await field.press('Escape');
    await suggestions.waitFor({ state: 'detached' });
    await field.press('Backspace');
    await field.press('Backspace');
    await field.press('Backspace');
    await field.press('Backspace');
    await field.press('Backspace');
    await field.press('Backspace');

    // The picker puts its emoji where the caret is.
    await eve.page.getByRole('button', { name: 'Insert emoji' }).click();
    const picker = eve.page.getByRole('dialog', { name: 'Insert emoji' });
    await picker.getByRole('button', { name: 'Smileys and emotion' }).click();
    await picker.getByRole('button', { name: 'grinning face', exact: true }).click();
    await picker.waitFor({ state: 'detached' });
    await expect(field.inputValue()).resolves.toBe('Done 🎉 at 12:30 🚀😀');
    await field.press('Enter');
    await eve.page.getByTestId('message').getByText('Done 🎉 at 12:30 🚀😀').waitFor();

    // Recently used come first next time.
    await eve.page.getByRole('button', { name: 'Insert emoji' }).click();
    await expect(picker.getByRole('button', { name: 'Recently used' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    const recent = await picker.getByRole('group', { name: 'Emoji' }).getByRole('button').allTextContents();
    expect(recent.slice(0, 3)).toEqual(['😀', '🚀', '🎉']);
    await eve.page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await messagesOn(eve.page)).toContain('Done 🎉 at 12:30 🚀😀');
    await eve.context.close();
  });
});
