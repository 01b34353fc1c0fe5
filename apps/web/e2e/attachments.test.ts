import { describe, expect, it } from 'bun:test';
import { ATTACHMENT_MAX_BYTES, MESSAGE_TEXT_MAX_LENGTH } from '@gopherchat/api';
import { testMp3, testMp4, testPhoto } from '@gopherchat/server/testing';
import {
  attach,
  filesToSend,
  saveScreenshot,
  sendPickedFiles,
  startConversation,
  useWebApp,
  write,
} from './browser.ts';

/** Sharing files in real browsers, against the server serving the built web app and its embedded object store. */
describe('sharing files in the browser', () => {
  const web = useWebApp('attachments');

  it('never cuts a long message: counts near the limit, stops it over, and sends it whole as a file', async () => {
    const ada = await web.personAt('ada.long');
    await web.personAt('bob.long');
    await startConversation(ada.page, 'Direct', { usernames: ['bob.long'] });
    const field = ada.page.getByRole('textbox', { name: 'Message' });
    // A paste of 4 100 characters was cut to the limit and sent without a word.
    const pasted = `${'All work and no play. '.repeat(186)}The end.`;
    expect(pasted.length).toBe(MESSAGE_TEXT_MAX_LENGTH + 100);
    await field.fill(pasted);
    await expect(field.inputValue()).resolves.toBe(pasted);
    await ada.page.getByTestId('composer-counter').getByText('4,100 / 4,000').waitFor();
    await ada.page
      .getByTestId('composer-too-long')
      .getByText('100 characters over the limit', { exact: false })
      .waitFor();
    await expect(ada.page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).resolves.toBe(true);
    await field.press('Enter');
    await expect(field.inputValue()).resolves.toBe(pasted);
    await saveScreenshot(ada.page, 'composer-too-long');
    await ada.page.setViewportSize({ width: 390, height: 844 });
    await ada.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(ada.page, 'composer-too-long-390-dark');

    await ada.page.getByRole('button', { name: 'Send as a file' }).click();
    const card = ada.page.getByTestId('message-list').getByTestId('attachment-file').filter({ hasText: 'message.txt' });
    await card.getByRole('link', { name: 'Download message.txt' }).waitFor();
    await expect(field.inputValue()).resolves.toBe('');
    // Sent whole as the file, and not also as a cut message.
    await expect(ada.page.getByTestId('message-list').getByText('All work and no play').count()).resolves.toBe(0);
  });

  it('shares an image: the sender sees it upload, the other person its thumbnail, live, and opens it whole', async () => {
    const ada = await web.personAt('ada');
    // Bob's system is in dark mode: the screenshots show both themes.
    const bob = await web.personAt('bob', { colorScheme: 'dark' });
    await startConversation(ada.page, 'Direct', { usernames: ['bob'] });
    await write(ada.page, 'A photo from the trip');
    await bob.page.getByTestId('conversation').filter({ hasText: 'ada' }).click();
    await bob.page.getByTestId('message-list').getByText('A photo from the trip').waitFor();

    // The bytes go to the object store, another origin; held there until the progress has been seen.
    const { promise: isReleased, resolve: release } = Promise.withResolvers<void>();
    const isUploadToStore = (url: URL) => url.origin !== web.server.url.origin;
    await ada.page.route(isUploadToStore, async (route) => {
      if (route.request().method() === 'POST') await isReleased;
      await route.continue();
    });
    const photo = Buffer.from(await testPhoto(1200, 800));
    await attach(ada.page, [{ name: 'trip.jpg', mimeType: 'image/jpeg', buffer: photo }]);
    const pending = ada.page.getByTestId('pending-upload').filter({ hasText: 'trip.jpg' });
    const progress = pending.getByRole('progressbar', { name: 'Sharing trip.jpg' });
    await progress.waitFor();
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThanOrEqual(0);
    await pending.getByRole('button', { name: 'Cancel sharing trip.jpg' }).waitFor();
    await saveScreenshot(ada.page, 'attachments-uploading');
    release();
    await pending.waitFor({ state: 'detached' });
    await ada.page.unroute(isUploadToStore);
    const adasImage = ada.page.getByTestId('message-list').getByTestId('attachment-image');
    await adasImage.waitFor();

    // Bob's list had the conversation open: the image arrives, is processed, and its thumbnail shows, with no reload.
    const bobsImage = bob.page.getByTestId('message-list').getByTestId('attachment-image');
    await bobsImage.waitFor();
    const thumbnail = bobsImage.getByTestId('attachment-thumbnail');
    await thumbnail.waitFor();
    await expect(thumbnail.getAttribute('src')).resolves.toContain('thumbnail.webp');
    // Fetched from the store and decoded: a real picture, not a broken image.
    await thumbnail.evaluate(
      (image: HTMLImageElement) =>
        new Promise<void>((resolve) => {
          const check = () => (image.complete && image.naturalWidth > 0 ? resolve() : requestAnimationFrame(check));
          check();
        }),
    );
    await expect(thumbnail.getAttribute('alt')).resolves.toBe('trip.jpg');
    // The box keeps the photo's proportions (3:2), so the row's height was right before any of it loaded.
    const box = await bobsImage.boundingBox();
    expect(box && Math.abs(box.width / box.height - 1.5)).toBeLessThan(0.02);
    await saveScreenshot(bob.page, 'attachments-received');

    // Whole, in a dialog; Escape closes it and the focus goes back to the image.
    await bobsImage.click();
    const lightbox = bob.page.getByRole('dialog', { name: 'Image: trip.jpg' });
    await lightbox.waitFor();
    const whole = lightbox.getByRole('img', { name: 'trip.jpg' });
    await bob.page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]');
      return image?.complete === true && image.naturalWidth === 1200;
    });
    await expect(whole.count()).resolves.toBe(1);
    await expect(bob.page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Close');
    // Saved from there: the same clean copy, with a header that makes the browser save it.
    const downloadLink = lightbox.getByRole('link', { name: 'Download' });
    const downloaded = await fetch((await downloadLink.getAttribute('href')) ?? '');
    expect(downloaded.headers.get('content-disposition')).toStartWith('attachment; filename="trip.jpg"');
    await saveScreenshot(bob.page, 'attachments-lightbox');
    await bob.page.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'hidden' });
    await expect(bob.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe(
      'attachment-image',
    );

    // Files other than images: dropped on the conversation, they come as a card to download.
    await ada.page.getByTestId('message-list').evaluate((list) => {
      const files = new DataTransfer();
      files.items.add(new File(['%PDF-1.4\n% a menu\n'], 'menu.pdf', { type: 'application/pdf' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        list.dispatchEvent(new DragEvent(type, { dataTransfer: files, bubbles: true, cancelable: true }));
      }
    });
    await filesToSend(ada.page).getByText('menu.pdf').waitFor();
    await sendPickedFiles(ada.page);
    const card = bob.page.getByTestId('message-list').getByTestId('attachment-file').filter({ hasText: 'menu.pdf' });
    await card.getByText('18 bytes').waitFor();
    const download = card.getByRole('link', { name: 'Download menu.pdf' });
    await expect(download.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    await expect(download.getAttribute('href')).resolves.toContain('media/');

    // Audio and video play in place, streamed from the store (never the app), with a way to save them still.
    await attach(ada.page, [
      { name: 'song.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from(testMp3()) },
      { name: 'clip.mp4', mimeType: 'video/mp4', buffer: Buffer.from(testMp4()) },
    ]);
    const bobsList = bob.page.getByTestId('message-list');
    const song = bobsList.getByRole('figure', { name: 'song.mp3' });
    // Its link came: the player has a source.
    const player = song.locator('audio[src]');
    await player.waitFor();
    await expect(player.getAttribute('aria-label')).resolves.toBe('Play song.mp3');
    await expect(player.evaluate((audio: HTMLAudioElement) => [audio.controls, audio.preload])).resolves.toEqual([
      true,
      'metadata',
    ]);
    const played = new URL((await player.getAttribute('src')) ?? '');
    expect(played.origin).not.toBe(web.server.url.origin);
    expect(played.searchParams.get('response-content-disposition')).toStartWith('inline');
    const saveSong = song.getByRole('link', { name: 'Download song.mp3' });
    await expect(saveSong.getAttribute('rel')).resolves.toBe('noopener noreferrer');
    const saved = new URL((await saveSong.getAttribute('href')) ?? '');
    expect(saved.pathname).toBe(played.pathname);
    expect(saved.searchParams.get('response-content-disposition')).toStartWith('attachment');
    // Not played here (headless Chromium need not decode it): only that it is offered, at its size.
    await song.getByText('16 KB', { exact: true }).waitFor();
    const clip = bobsList.getByRole('figure', { name: 'clip.mp4' });
    const video = clip.locator('video');
    await clip.getByRole('link', { name: 'Download clip.mp4' }).waitFor();
    await expect(
      video.evaluate((element: HTMLVideoElement) => [element.controls, element.playsInline]),
    ).resolves.toEqual([true, true]);
    // No size known for a video: a 16:9 box, the width of an image's at most.
    const videoBox = await video.boundingBox();
    expect(videoBox && Math.abs(videoBox.width / videoBox.height - 16 / 9)).toBeLessThan(0.02);
    expect(videoBox?.width).toBeLessThanOrEqual(320);
    await saveScreenshot(bob.page, 'attachments-media-dark');
    // The sender's, in her bubbles' colours and the light theme.
    const adasClip = ada.page.getByTestId('message-list').getByRole('figure', { name: 'clip.mp4' });
    await adasClip.locator('video[src]').waitFor();
    await adasClip.scrollIntoViewIfNeeded();
    await saveScreenshot(ada.page, 'attachments-media-light');

    // A pasted image is shown before it goes, with what was being written as its caption, markdown and all.
    const field = ada.page.getByRole('textbox', { name: 'Message' });
    await field.fill('Sunset, **pasted**');
    const pasted = Buffer.from(await testPhoto(300, 200)).toString('base64');
    await field.evaluate((textarea, base64) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([bytes], 'image.jpg', { type: 'image/jpeg' }));
      textarea.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }),
      );
    }, pasted);
    const step = filesToSend(ada.page);
    // A preview drawn from the picked file itself (decorative: its name is beside it).
    await step.locator('img[src^="blob:"]').waitFor();
    await expect(step.getByRole('textbox', { name: 'Caption' }).inputValue()).resolves.toBe('Sunset, **pasted**');
    await saveScreenshot(ada.page, 'send-files-1280-light');
    await sendPickedFiles(ada.page);
    await expect(field.inputValue()).resolves.toBe('');
    const captioned = bob.page.getByTestId('message-list').getByTestId('message').filter({ hasText: 'Sunset, pasted' });
    await captioned.getByRole('img', { name: 'Sunset, pasted' }).waitFor();
    // Bold in the caption, as in message text; its alt text is the words alone.
    await expect(captioned.locator('strong').textContent()).resolves.toBe('pasted');
    await saveScreenshot(bob.page, 'attachments-conversation-dark');
    await saveScreenshot(ada.page, 'attachments-conversation-light');

    await ada.context.close();
    await bob.context.close();
  });

  it('refuses a file too large or of a type that cannot be shared, in words, and sends nothing', async () => {
    const cat = await web.personAt('cat');
    await web.personAt('dan').then(({ context }) => context.close());
    await startConversation(cat.page, 'Direct', { usernames: ['dan'] });
    const asked: string[] = [];
    cat.page.on('request', (request) => {
      if (request.url().includes('attachments.')) asked.push(request.url());
    });

    await attach(
      cat.page,
      [
        { name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not for sharing') },
        { name: 'film.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(ATTACHMENT_MAX_BYTES + 1) },
      ],
      { isSent: false },
    );
    // Said before anything goes, and nothing to send.
    const step = filesToSend(cat.page);
    await step
      .getByText('“setup.exe” cannot be shared: only images, PDF, ZIP, text, MP3, Ogg and MP4 files can.')
      .waitFor();
    await step.getByText('“film.mp4” is too large: files can be at most 25 MB.').waitFor();
    await expect(step.getByRole('button', { name: 'Send', exact: true }).isDisabled()).resolves.toBe(true);
    await cat.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(cat.page, 'attachments-refused');
    await step.getByRole('button', { name: 'Cancel' }).click();
    await step.waitFor({ state: 'hidden' });
    expect(asked).toEqual([]);
    await expect(cat.page.getByTestId('message-list').getByTestId('message').count()).resolves.toBe(0);
    await cat.context.close();
  });
});
