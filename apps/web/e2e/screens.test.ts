import { describe, it } from 'bun:test';
import { apiAs, messageRowOf, saveScreenshot, startConversation, useWebApp, write } from './browser.ts';

const SIZES = [
  { label: '1280', width: 1280, height: 800 },
  { label: '390', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

/**
 * The main screens for review, in both themes and at a desktop's and a
 * phone's width (test-artifacts/screen-*.png): a conversation with
 * reactions, a pin, a mention, a link's preview and a forwarded message
 * (beside the list's filters and the notifications offer on a desktop); the emoji
 * picker; a group's settings (a member's status); the keyboard shortcuts;
 * forwarding; the saved messages; setting a status.
 */
describe('the main screens, for review', () => {
  const web = useWebApp('screens');

  it('draws each main screen in both themes at 1280 and 390 px', async () => {
    const sam = await web.personAt('sam.screens');
    const tess = await web.personAt('tess.screens');
    const { page } = sam;
    await startConversation(page, 'Group', { title: 'Launch', usernames: ['tess.screens'] });
    await write(page, 'Release notes are in the doc. **Ship on Thursday?**');
    await tess.page.getByTestId('conversation').filter({ hasText: 'Launch' }).click();
    await write(tess.page, 'Yes, with the migration first 🚀');
    await write(page, 'Deal, @tess.screens: https://example.com/runbook for the steps');
    await using api = await apiAs(web.server.url, page);
    await using tessApi = await apiAs(web.server.url, tess.page);
    const [launch] = await api.api.conversations.list.query();
    const conversationId = launch?.id ?? '';
    const { messages } = await api.api.messages.history.query({ conversationId });
    const bySeq = (text: string) =>
      messages.find((message) => message.content.type === 'text' && message.content.text.startsWith(text))?.seq ?? 0;
    await tessApi.api.messages.react.mutate({ conversationId, seq: bySeq('Release'), emoji: '👍' });
    await api.api.messages.react.mutate({ conversationId, seq: bySeq('Yes'), emoji: '🎉' });
    await tessApi.api.messages.react.mutate({ conversationId, seq: bySeq('Yes'), emoji: '🎉' });
    await api.api.messages.pin.mutate({ conversationId, seq: bySeq('Deal') });
    await page.getByTestId('pinned-mark').waitFor();
    await api.api.saved.save.mutate({ conversationId, seq: bySeq('Yes') });
    await tessApi.api.users.setStatus.mutate({ text: 'Heads down until the release', emoji: '🎧', expiresAt: null });
    const tessId = (await tessApi.api.auth.me.query()).id;
    const { id: direct } = await api.api.conversations.createDirect.mutate({ userId: tessId });
    await api.api.messages.forward.mutate({
      conversationId,
      seq: bySeq('Release'),
      toConversationId: direct,
      clientMessageId: 'screens-forward',
    });
    await page.getByTestId('conversation').filter({ hasText: 'Launch' }).click();

    for (const size of SIZES) {
      for (const theme of THEMES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.emulateMedia({ colorScheme: theme });
        const name = (screen: string) => `screen-${screen}-${size.label}-${theme}`;
        await page.getByTestId('reaction').first().waitFor();
        await page.getByTestId('mention').first().waitFor();
        await saveScreenshot(page, name('conversation'));

        await page.getByRole('button', { name: 'Insert emoji' }).click();
        const picker = page.getByRole('dialog', { name: 'Insert emoji' });
        await picker.getByRole('group', { name: 'Emoji' }).getByRole('button').first().waitFor();
        await saveScreenshot(page, name('emoji-picker'));
        await page.keyboard.press('Escape');
        await picker.waitFor({ state: 'detached' });

        await page.getByRole('button', { name: 'Group settings' }).click();
        const settings = page.getByRole('dialog', { name: 'Group settings' });
        await settings.getByRole('button', { name: 'Manage tess.screens' }).click();
        await settings.getByRole('button', { name: 'Make admin' }).waitFor();
        await saveScreenshot(page, name('group-settings'));
        await settings.getByRole('button', { name: 'Close' }).click();

        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press('?');
        const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
        await shortcuts.getByText('Edit your last message').waitFor();
        await saveScreenshot(page, name('shortcuts'));
        await page.keyboard.press('Escape');
        await shortcuts.waitFor({ state: 'hidden' });

        await messageRowOf(page, 'Yes, with the migration first 🚀')
          .getByRole('button', { name: 'Message actions' })
          .click();
        await page.getByRole('menuitem', { name: 'Forward…' }).click();
        const forward = page.getByRole('dialog', { name: 'Forward to…' });
        await forward.getByTestId('forward-target').first().waitFor();
        await saveScreenshot(page, name('forward'));
        await page.keyboard.press('Escape');
        await forward.waitFor({ state: 'hidden' });

        // On a phone, the list (and its Saved, and the user menu) is a page of its own.
        const isPhone = size.width < 768;
        if (isPhone) await page.getByRole('button', { name: 'Back to conversations' }).click();
        await page.getByRole('button', { name: 'Saved', exact: true }).click();
        const saved = page.getByRole('dialog', { name: 'Saved messages' });
        await saved.getByTestId('saved-message').waitFor();
        await saveScreenshot(page, name('saved'));
        await page.keyboard.press('Escape');
        await saved.waitFor({ state: 'hidden' });

        await page.getByRole('button', { name: /account, theme and sign out/ }).click();
        await page.getByTestId('my-status').click();
        const status = page.getByRole('dialog', { name: 'Set a status' });
        await status.getByRole('button', { name: /In a meeting/ }).waitFor();
        await saveScreenshot(page, name('status'));
        await page.keyboard.press('Escape');
        await status.waitFor({ state: 'hidden' });
        if (isPhone) await page.getByTestId('conversation').filter({ hasText: 'Launch' }).click();
      }
    }
    await sam.context.close();
    await tess.context.close();
  });
});
