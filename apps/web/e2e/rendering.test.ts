import { describe, expect, it } from 'bun:test';
import { signUpClient } from '@gopherchat/server/testing';
import type { Page } from 'playwright-core';
import { saveScreenshot, useWebApp, write } from './browser.ts';

/** WCAG AA for body text; the muted text (times, previews) is held to it too. */
const MIN_TEXT_CONTRAST = 4.5;
/** Relative luminance below which a background counts as dark (slate-800 is 0.02, slate-400 0.36). */
const DARK_LUMINANCE = 0.05;

/**
 * In the page: the relative luminance of what is painted behind `element`
 * (its own background and its ancestors', translucent ones blended), and the
 * WCAG contrast of its text against that. Self-contained: it is sent to the page.
 */
function paintOf(element: Element) {
  type Rgba = [number, number, number, number];
  const parse = (css: string): Rgba => {
    const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
    return [r, g, b, a];
  };
  const over = ([r, g, b, a]: Rgba, [br, bg, bb]: Rgba): Rgba => [
    r * a + br * (1 - a),
    g * a + bg * (1 - a),
    b * a + bb * (1 - a),
    1,
  ];
  const layers: Rgba[] = [];
  for (let node: Element | null = element; node; node = node.parentElement) {
    const layer = parse(getComputedStyle(node).backgroundColor);
    if (layer[3] > 0) layers.push(layer);
    if (layer[3] >= 1) break;
  }
  // The canvas behind everything is the color-scheme's: white in light, near black in dark.
  const canvas: Rgba =
    getComputedStyle(document.documentElement).colorScheme === 'dark' ? [18, 18, 18, 1] : [255, 255, 255, 1];
  const background = layers.reduceRight((below, layer) => over(layer, below), canvas);
  const text = over(parse(getComputedStyle(element).color), background);
  const luminance = ([r, g, b]: Rgba) => {
    const linear = (channel: number) => {
      const value = channel / 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const [lighter, darker] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number];
  return { backgroundLuminance: luminance(background), contrast: (lighter + 0.05) / (darker + 0.05) };
}

/** Message bodies and the two themes, in a real browser against the server serving the built app. */
describe('rendering in the browser', () => {
  const web = useWebApp('rendering');

  /**
   * `username` signed up in a new browser context, in a group that someone
   * else started and wrote `theirs` in, with the group open and `mine` sent.
   */
  async function chatting(
    username: string,
    options: { colorScheme: 'light' | 'dark'; theirs: string[]; mine: string[] },
  ) {
    const { context, page } = await web.personAt(username, { colorScheme: options.colorScheme });

    // The other person acts through the API: the new-conversation dialog is not what these tests are about.
    await using other = await signUpClient(web.server.url, `${username}.friend`);
    const me = await other.api.users.find.query({ username });
    const group = await other.api.conversations.createGroup.mutate({
      title: `${username}'s group`,
      memberIds: [me.id],
    });
    for (const text of options.theirs) {
      await other.api.messages.send.mutate({
        conversationId: group.id,
        clientMessageId: crypto.randomUUID(),
        content: { type: 'text', text },
      });
    }
    await page
      .getByTestId('conversation')
      .filter({ hasText: `${username}'s group` })
      .click();
    for (const text of options.mine) await write(page, text);
    await page
      .locator('[data-testid="message"][data-receipt]')
      .nth(options.mine.length - 1)
      .waitFor();
    return { context, page };
  }

  const bubble = (page: Page, text: string) =>
    page.getByTestId('message-list').getByTestId('message').filter({ hasText: text });

  it('renders light markdown as elements, and a message’s HTML as text that never runs', async () => {
    const attack = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>';
    const { context, page } = await chatting('mara', {
      colorScheme: 'light',
      theirs: ['**bold** and _italic_ with `code`, see https://example.com/a_b', attack, '[x](javascript:alert(1))'],
      mine: ['- first step\n- second step\n\n> quoted'],
    });

    const formatted = bubble(page, 'bold and italic');
    await expect(formatted.locator('strong').textContent()).resolves.toBe('bold');
    await expect(formatted.locator('em').textContent()).resolves.toBe('italic');
    await expect(formatted.locator('code').textContent()).resolves.toBe('code');
    const link = formatted.getByRole('link', { name: 'https://example.com/a_b' });
    await expect(link.getAttribute('href')).resolves.toBe('https://example.com/a_b');
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    const list = bubble(page, 'first step');
    await expect(list.locator('li').allTextContents()).resolves.toEqual(['first step', 'second step']);
    await expect(list.locator('blockquote').textContent()).resolves.toBe('quoted');

    // The markup arrived as text: shown as typed, no element made of it, nothing run.
    await expect(bubble(page, '<img').textContent()).resolves.toBe(attack);
    await expect(bubble(page, '<img').locator('img, script').count()).resolves.toBe(0);
    await expect(bubble(page, '[x]').getByRole('link').count()).resolves.toBe(0);
    // An image from the same address fails now: one made from the message would have failed, and run, before it.
    await page.evaluate(
      () =>
        new Promise((settled) => {
          const probe = new Image();
          probe.onerror = settled;
          probe.src = 'x';
        }),
    );
    await expect(page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).resolves.toBeUndefined();
    // The list's preview is the plain words.
    await page.getByTestId('conversation').getByText('You: first step second step quoted').waitFor();
    await saveScreenshot(page, 'rendering-markdown');
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`follows a ${colorScheme} system theme with readable body and muted text`, async () => {
      const { context, page } = await chatting(`theo.${colorScheme}`, {
        colorScheme,
        theirs: ['Morning! The **plan** is on the wiki.'],
        mine: ['Thanks, reading it now'],
      });
      const list = page.getByRole('navigation', { name: 'Conversations' });
      const messages = page.getByTestId('message-list');
      const surfaces = { 'app shell': page.locator('body'), 'conversation list': list, 'message list': messages };
      const isDark: Record<string, boolean> = {};
      for (const [what, surface] of Object.entries(surfaces)) {
        isDark[what] = (await surface.evaluate(paintOf)).backgroundLuminance < DARK_LUMINANCE;
      }
      const expected = colorScheme === 'dark';
      expect(isDark).toEqual({ 'app shell': expected, 'conversation list': expected, 'message list': expected });

      const friend = `theo.${colorScheme}.friend`;
      const texts = {
        'conversation title': page.getByTestId('conversation-title'),
        'conversation name in the list': list.getByText(`theo.${colorScheme}'s group`),
        'their message': bubble(page, 'Morning!'),
        'my message': bubble(page, 'Thanks, reading it now'),
        'sender name': messages.getByText(friend, { exact: true }),
        'muted: preview in the open conversation': list.getByText('You: Thanks, reading it now'),
        'muted: conversation status': page.getByTestId('conversation-status'),
        'muted: sender line with the time': messages.locator('p', { hasText: friend, hasNotText: 'started' }),
        'muted: note that the group started': messages.getByText(`${friend} started the conversation`),
      };
      const contrasts: Record<string, number> = {};
      for (const [what, text] of Object.entries(texts)) contrasts[what] = (await text.evaluate(paintOf)).contrast;
      const unreadable = Object.entries(contrasts).filter(([, contrast]) => contrast < MIN_TEXT_CONTRAST);
      expect(unreadable).toEqual([]);
      await saveScreenshot(page, `rendering-theme-${colorScheme}`);
      await context.close();
    });
  }

  it('lets a picked theme win over the system’s, on this device, until the system’s is picked again', async () => {
    const { context, page } = await web.personAt('petra', { colorScheme: 'dark' });
    const isShellDark = async () => (await page.locator('body').evaluate(paintOf)).backgroundLuminance < DARK_LUMINANCE;
    // The picker is in the menu under my name.
    const openMenu = () => page.getByRole('button', { name: /account, theme and sign out$/ }).click();
    const picker = page.getByRole('combobox', { name: 'Theme' });
    expect(await isShellDark()).toBe(true);

    await openMenu();
    await picker.selectOption('light');
    expect(await isShellDark()).toBe(false);
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    expect(await isShellDark()).toBe(false);
    await openMenu();
    await expect(picker.inputValue()).resolves.toBe('light');
    await saveScreenshot(page, 'rendering-theme-picked-light');

    await picker.selectOption('system');
    expect(await isShellDark()).toBe(true);
    await context.close();
  });
});
