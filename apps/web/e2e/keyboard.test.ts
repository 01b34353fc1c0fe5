import { describe, expect, it } from 'bun:test';
import { saveScreenshot, startConversation, useWebApp, write } from './browser.ts';

/** Using the app from the keyboard alone, in a real browser. */
describe('keyboard use in the browser', () => {
  const web = useWebApp('keyboard');

  it('switches conversations with Alt+arrows, edits the last message with ↑, and lists the shortcuts on ?', async () => {
    const kim = await web.personAt('kim');
    const { page } = kim;
    await startConversation(page, 'Group', { title: 'Older', usernames: [] });
    await write(page, 'first words');
    await startConversation(page, 'Group', { title: 'Newer', usernames: [] });
    await write(page, 'typo here');
    // Sent, not still on its way (only a sent message can be edited): its row has its place in the conversation.
    await page.getByTestId('message-list').locator('li[data-seq]').filter({ hasText: 'typo here' }).waitFor();
    const title = page.getByTestId('conversation-title');
    await title.getByText('Newer').waitFor();

    // The list is newest first: down goes to the older one, up comes back, even from the message field.
    const field = page.getByRole('textbox', { name: 'Message' });
    await field.focus();
    await page.keyboard.press('Alt+ArrowDown');
    await title.getByText('Older').waitFor();
    await page.keyboard.press('Alt+ArrowUp');
    await title.getByText('Newer').waitFor();

    // ↑ in the empty field edits my last message; Escape cancels.
    await field.focus();
    await page.keyboard.press('ArrowUp');
    await expect(field.inputValue()).resolves.toBe('typo here');
    await page.keyboard.press('Escape');
    await expect(field.inputValue()).resolves.toBe('');
    await page.keyboard.press('ArrowUp');
    await field.fill('no typo here');
    await page.keyboard.press('Enter');
    await page.getByTestId('message').getByText('no typo here').waitFor();

    // "?" is typed in a field, and opens the shortcuts elsewhere.
    await field.pressSequentially('?');
    await expect(field.inputValue()).resolves.toBe('?');
    await field.fill('');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('?');
    const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await shortcuts.getByText('Edit your last message').waitFor();
    await saveScreenshot(page, 'keyboard-shortcuts-1280-light');
    await page.keyboard.press('Escape');
    await shortcuts.waitFor({ state: 'hidden' });
    await kim.context.close();
  });

  it('offers links past the sidebar as the first stops of the keyboard', async () => {
    const lia = await web.personAt('lia');
    await startConversation(lia.page, 'Group', { title: 'Notes', usernames: [] });
    // First in the page's tab order, and seen once focused.
    const first = await lia.page.evaluate(
      () => document.querySelector<HTMLElement>('a[href], button, input, textarea, select')?.textContent,
    );
    expect(first).toBe('Skip to conversations');
    const skip = lia.page.getByRole('link', { name: 'Skip to conversations' });
    await skip.focus();
    expect((await skip.boundingBox())?.width).toBeGreaterThan(20);
    await lia.page.keyboard.press('Tab');
    await lia.page.keyboard.press('Enter');
    await expect(lia.page.evaluate(() => document.activeElement?.id)).resolves.toBe('message-field');
    await lia.context.close();
  });
});
