import { afterAll, describe, it } from 'bun:test';
import { messageRowOf, saveScreenshot, startConversation, useWebApp, write } from './browser.ts';

/** A page on loopback that describes itself, as a site would. */
const site = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: () =>
    new Response(
      `<!doctype html><html><head><meta property="og:site_name" content="Launch Co">
       <meta property="og:title" content="Launch day, hour by hour">
       <meta property="og:description" content="Where to be, and when, on the day the rocket goes up."></head></html>`,
      { headers: { 'content-type': 'text/html' } },
    ),
});
afterAll(() => site.stop(true));

/** Link previews in real browsers. */
describe('link previews in the browser', () => {
  // Loopback is refused unless allow-listed: this test's site is.
  const web = useWebApp('previews', { LINK_PREVIEW_ALLOW: '127.0.0.1' });

  it('shows the card of a link to both people, live, and lets its sender remove it', async () => {
    const ada = await web.personAt('ada.previews');
    const bob = await web.personAt('bob.previews', { viewport: { width: 390, height: 844 } });
    await startConversation(ada.page, 'Direct', { usernames: ['bob.previews'] });
    const link = `http://127.0.0.1:${site.port}/launch`;
    await write(ada.page, `Plan for Friday: ${link}`);
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada.previews' }).click();

    const bobsCard = messageRowOf(bob.page, `Plan for Friday: ${link}`).getByTestId('link-preview');
    await bobsCard.getByRole('link', { name: 'Launch day, hour by hour' }).waitFor();
    await bob.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(bob.page, 'link-preview-390-dark');
    // Only the sender may remove it.
    await bobsCard.getByRole('button', { name: 'Remove the link preview' }).waitFor({ state: 'detached' });

    const adasCard = messageRowOf(ada.page, `Plan for Friday: ${link}`).getByTestId('link-preview');
    await adasCard.getByText('Launch Co').waitFor();
    await saveScreenshot(ada.page, 'link-preview-1280-light');
    await adasCard.getByRole('button', { name: 'Remove the link preview' }).click();
    await bobsCard.waitFor({ state: 'detached' });
    await adasCard.waitFor({ state: 'detached' });
    await ada.context.close();
    await bob.context.close();
  });
});
