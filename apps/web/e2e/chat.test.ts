import { describe, expect, it } from 'bun:test';
import { CLOSE_SERVICE_RESTART } from '@gopherchat/api';
import { signUpClient } from '@gopherchat/server/testing';
import type { Page } from 'playwright-core';
import {
  apiAs,
  fromUserMenu,
  messageRowOf,
  messagesOn,
  pickPerson,
  removeFromGroup,
  saveScreenshot,
  startConversation,
  useWebApp,
  write,
} from './browser.ts';

/** Chatting in real browsers, against the server serving the built web app. */
describe('chat in the browser', () => {
  const web = useWebApp('chat');

  /** The rendered bubble that says exactly `text`. */
  const bubbleOn = (page: Page, text: string) =>
    page
      .getByTestId('message-list')
      .getByTestId('message')
      .filter({ hasText: new RegExp(`^${text}$`) });

  /** Scrolls the list to the top, page after older page, until the message that says `first` is rendered. */
  async function scrollUpTo(page: Page, first: string) {
    // Each look scrolls to the top again: an older page that came in meanwhile kept the view where it was.
    await page.waitForFunction(
      (text) => {
        const list = document.querySelector('[data-testid="message-list"]');
        list?.scrollTo({ top: 0 });
        const bubbles = list?.querySelectorAll('[data-testid="message"]') ?? [];
        return [...bubbles].some((bubble) => bubble.textContent?.trim() === text);
      },
      first,
      { polling: 100 },
    );
  }

  /**
   * Scrolls down half a screen a frame until `last` is rendered (a bounded number of frames, newer pages loading
   * on the way): the texts of the messages passed, in order of seq, each once.
   */
  async function scrollDownTo(page: Page, last: string): Promise<string[]> {
    return page.evaluate(async (lastText) => {
      const list = document.querySelector<HTMLElement>('[data-testid="message-list"]');
      if (!list) return [];
      const bySeq = new Map<number, string>();
      for (let frames = 0; frames < 3000 && ![...bySeq.values()].includes(lastText); frames++) {
        for (const row of list.querySelectorAll('li[data-seq]')) {
          const text = row.querySelector('[data-testid="message"]')?.textContent?.trim();
          if (text) bySeq.set(Number(row.getAttribute('data-seq')), text);
        }
        list.scrollTop += list.clientHeight / 2;
        await new Promise(requestAnimationFrame);
      }
      return [...bySeq].sort(([a], [b]) => a - b).map(([, text]) => text);
    }, last);
  }

  /**
   * Starts a group of one named `title` on `page`, writes `count` messages ("label 1", …) in it through the API
   * (quicker than typing them), and opens it after a reload.
   */
  async function openOwnGroupOf(page: Page, title: string, label: string, count: number) {
    await startConversation(page, 'Group', { title, usernames: [] });
    await using api = await apiAs(web.server.url, page);
    const [group] = await api.api.conversations.list.query();
    for (let index = 1; index <= count; index++) {
      await api.api.messages.send.mutate({
        conversationId: group?.id ?? '',
        clientMessageId: `${label}-${index}`,
        content: { type: 'text', text: `${label} ${index}` },
      });
    }
    await page.reload();
    await page.getByTestId('conversation').filter({ hasText: title }).click();
  }

  it('lets two people start a direct conversation and talk both ways, live', async () => {
    const ada = await web.personAt('ada');
    const bob = await web.personAt('bob', { viewport: { width: 390, height: 780 } });

    await startConversation(ada.page, 'Direct', { usernames: ['bob'] });
    await expect(ada.page.getByTestId('conversation-title').textContent()).resolves.toBe('bob');
    // Its preview says what happened ("Conversation updated" said nothing), and it is no unread news to Bob.
    await ada.page.getByTestId('conversation').getByText('You started the conversation').waitFor();
    const bobsNew = bob.page.getByTestId('conversation').filter({ hasText: 'ada started the conversation' });
    await bobsNew.waitFor();
    await expect(bobsNew.getByTestId('unread').count()).resolves.toBe(0);
    await write(ada.page, 'Hi Bob! Notes at https://example.com/notes.');

    // Bob's list shows it with an unread badge before he opens it.
    const conversation = bob.page.getByTestId('conversation').filter({ hasText: 'ada' });
    await conversation.getByTestId('unread').getByText('1').waitFor();
    await conversation.click();
    await bob.page.getByTestId('message-list').getByText('Hi Bob!').waitFor();
    const link = bob.page.getByRole('link', { name: 'https://example.com/notes' });
    await expect(link.getAttribute('rel')).resolves.toBe('noopener noreferrer');

    await write(bob.page, 'Hey Ada');
    await write(bob.page, 'Line one');
    await ada.page.getByTestId('message-list').getByText('Line one').waitFor();
    expect(await messagesOn(ada.page)).toEqual(['Hi Bob! Notes at https://example.com/notes.', 'Hey Ada', 'Line one']);
    expect(await messagesOn(bob.page)).toEqual(await messagesOn(ada.page));

    await saveScreenshot(ada.page, 'chat-direct-desktop');
    await saveScreenshot(bob.page, 'chat-direct-phone');
    await ada.context.close();
    await bob.context.close();
  });

  it('shows the people a message mentions as chips, the reader’s own highlighted, and mentions of me in the list', async () => {
    const otto = await web.personAt('otto');
    const pia = await web.personAt('pia', { viewport: { width: 390, height: 780 } });
    await web.personAt('quinn');
    await startConversation(otto.page, 'Group', { title: 'Plans', usernames: ['pia', 'quinn'] });

    // Typed after an @, names are offered: the members but me, and everyone in a group.
    const field = otto.page.getByRole('textbox', { name: 'Message' });
    const suggestions = otto.page.getByTestId('mention-suggestions');
    await field.pressSequentially('Thanks @p');
    await suggestions.getByRole('option', { name: /@pia/ }).waitFor();
    await expect(suggestions.getByRole('option').count()).resolves.toBe(1);
    await saveScreenshot(otto.page, 'chat-mention-suggestions');
    await field.press('Enter');
    await expect(field.inputValue()).resolves.toBe('Thanks @pia ');
    await field.pressSequentially('and @');
    await suggestions.getByRole('option', { name: /@all/ }).waitFor();
    await expect(suggestions.getByRole('option', { name: /@otto/ }).count()).resolves.toBe(0);
    await field.press('Escape');
    await suggestions.waitFor({ state: 'hidden' });
    await write(otto.page, 'Thanks @pia and @Quinn; `@pia` in code, @nobody and otto@example.com stay text');

    // Pia's list marks the mention apart from the unread count, and the Mentions filter keeps only what mentions her.
    const entry = pia.page.getByTestId('conversation').filter({ hasText: 'Plans' });
    await entry.getByTestId('unread-mentions').getByText('1').waitFor();
    // The tab says so too, in its title and on its icon, seen from other tabs and the taskbar.
    await pia.page.waitForFunction(() => document.title === '(1) GopherChat');
    await expect(
      pia.page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href.startsWith('data:')),
    ).resolves.toBe(true);
    await pia.page.getByRole('button', { name: 'Mentions', exact: true }).click();
    await expect(pia.page.getByTestId('conversation').count()).resolves.toBe(1);
    await saveScreenshot(pia.page, 'chat-mentions-filter-390');

    await entry.click();
    const bubble = bubbleOn(pia.page, 'Thanks @pia and @Quinn; @pia in code, @nobody and otto@example.com stay text');
    const chips = bubble.getByTestId('mention');
    await chips.first().waitFor();
    await expect(chips.allTextContents()).resolves.toEqual(['@pia', '@Quinn']);
    // Pia's own mention stands out from Quinn's.
    const [own, other] = await Promise.all([
      chips.nth(0).evaluate((chip) => getComputedStyle(chip).backgroundColor),
      chips.nth(1).evaluate((chip) => getComputedStyle(chip).backgroundColor),
    ]);
    expect(own).not.toBe(other);
    await saveScreenshot(pia.page, 'chat-mentions-390');

    // Read, it is no longer an unread mention: back in the list, the filter has nothing left.
    await pia.page.getByRole('button', { name: 'Back to conversations' }).click();
    await pia.page.getByText('No unread mentions of you.').waitFor();
    await pia.page.waitForFunction(() => document.title === 'GopherChat');
    await pia.page.getByRole('button', { name: 'All', exact: true }).click();
    await expect(entry.getByTestId('unread-mentions').count()).resolves.toBe(0);
    await otto.context.close();
    await pia.context.close();
  });

  it('tells of a direct message with a desktop notification while the tab is hidden, once turned on', async () => {
    const rae = await web.personAt('rae');
    const sam = await signUpClient(web.server.url, 'sam');
    // The browser's own notifications, noted as they are made: headless, there is no screen to see them on. Nor
    // can a headless tab be hidden (another in front leaves it visible): `hideTab` says it is, as a browser would.
    await rae.page.addInitScript(() => {
      const Real = window.Notification;
      const made: Notification[] = [];
      class Noted extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          made.push(this);
        }
      }
      Object.defineProperty(Noted, 'permission', { get: () => Real.permission });
      Noted.requestPermission = (callback) => Real.requestPermission(callback);
      let isHidden = false;
      Object.defineProperty(document, 'visibilityState', { get: () => (isHidden ? 'hidden' : 'visible') });
      const hideTab = () => {
        isHidden = true;
        document.dispatchEvent(new Event('visibilitychange'));
      };
      Object.assign(window, { Notification: Noted, madeNotifications: made, hideTab });
    });
    await rae.page.reload();
    const offer = rae.page.getByRole('region', { name: 'Desktop notifications' });
    await offer.waitFor();
    await saveScreenshot(rae.page, 'notifications-offer');
    await rae.context.grantPermissions(['notifications']);
    await offer.getByRole('button', { name: 'Turn on' }).click();
    await offer.waitFor({ state: 'hidden' });

    const raeProfile = await sam.api.users.find.query({ username: 'rae' });
    const { id: conversationId } = await sam.api.conversations.createDirect.mutate({ userId: raeProfile.id });
    await rae.page.getByTestId('conversation').filter({ hasText: 'sam' }).waitFor();
    // Seen arrive while the tab shows: no notification, as the one below proves by coming alone.
    await sam.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'shown-tab',
      content: { type: 'text', text: 'While you look' },
    });
    await rae.page.getByTestId('conversation').filter({ hasText: 'While you look' }).waitFor();
    await rae.page.evaluate(() => (window as unknown as { hideTab: () => void }).hideTab());
    const { seq } = await sam.api.messages.send.mutate({
      conversationId,
      clientMessageId: 'hidden-tab',
      content: { type: 'text', text: 'Are you **there**?' },
    });
    const made = () =>
      rae.page.evaluate(() =>
        (window as unknown as { madeNotifications: Notification[] }).madeNotifications.map((notification) => ({
          title: notification.title,
          body: notification.body,
          tag: notification.tag,
        })),
      );
    await rae.page.waitForFunction(
      () => (window as unknown as { madeNotifications: unknown[] }).madeNotifications.length > 0,
    );
    await expect(made()).resolves.toEqual([{ title: 'sam', body: 'Are you there?', tag: conversationId }]);

    // Its click opens the message.
    await rae.page.evaluate(() => {
      const [notification] = (window as unknown as { madeNotifications: Notification[] }).madeNotifications;
      notification?.onclick?.(new Event('click'));
    });
    await rae.page.waitForURL((url) => url.pathname === `/c/${conversationId}/m/${seq}`);
    await sam.close();
    await rae.context.close();
  });

  it('shows the sender when their message was delivered and read, who is typing, and who is online', async () => {
    const iris = await web.personAt('iris');
    const jack = await web.personAt('jack');
    // Jack steps away: his session stays (the cookie), his page does not.
    await jack.page.close();

    await startConversation(iris.page, 'Direct', { usernames: ['jack'] });
    await write(iris.page, 'Are you there?');
    const irisMessage = (text: string) =>
      iris.page.getByTestId('message-list').getByTestId('message').filter({ hasText: text });
    await irisMessage('Are you there?').and(iris.page.locator('[data-receipt="sent"]')).waitFor();

    // Jack comes back to the list: what arrived while he was away counts as delivered, and he shows online.
    jack.page = await jack.context.newPage();
    await jack.page.goto(web.server.url.href);
    const irisInJacksList = jack.page.getByTestId('conversation').filter({ hasText: 'iris' });
    await irisInJacksList.getByTestId('unread').waitFor();
    await irisMessage('Are you there?').and(iris.page.locator('[data-receipt="delivered"]')).waitFor();
    const jackInIrisList = iris.page.getByTestId('conversation').filter({ hasText: 'jack' });
    await jackInIrisList.locator('[data-presence="online"]').waitFor();
    await iris.page.getByTestId('conversation-status').getByText('online', { exact: true }).waitFor();

    // A message arriving live, with the conversation not open, is delivered too but not read.
    await write(iris.page, 'Lunch at noon?');
    await irisMessage('Lunch at noon?').and(iris.page.locator('[data-receipt="delivered"]')).waitFor();
    await expect(irisInJacksList.getByTestId('unread').count()).resolves.toBe(1);

    // Opening the conversation reads it: Iris sees that live.
    await irisInJacksList.click();
    await jack.page.getByTestId('message-list').getByText('Lunch at noon?').waitFor();
    await irisMessage('Lunch at noon?').and(iris.page.locator('[data-receipt="read"]')).waitFor();
    await irisMessage('Are you there?').and(iris.page.locator('[data-receipt="read"]')).waitFor();
    await irisInJacksList.getByTestId('unread').waitFor({ state: 'detached' });

    const jacksField = jack.page.getByRole('textbox', { name: 'Message' });
    await jacksField.fill('Sounds');
    await iris.page.getByTestId('typing').getByText('jack is typing…').waitFor();
    await saveScreenshot(iris.page, 'chat-receipts');
    await jacksField.fill('');
    await iris.page.getByTestId('typing').waitFor({ state: 'detached' });

    // On his account page Jack stays online, and still receives: a message to him is delivered (not read).
    await fromUserMenu(jack.page, 'Account');
    await write(iris.page, 'Still there?');
    await irisMessage('Still there?').and(iris.page.locator('[data-receipt="delivered"]')).waitFor();
    await expect(jackInIrisList.locator('[data-presence="online"]').count()).resolves.toBe(1);

    await jack.page.close();
    // Hidden when offline, so attached rather than visible.
    await jackInIrisList.locator('[data-presence="offline"]').waitFor({ state: 'attached' });
    await iris.page.getByTestId('conversation-status').getByText('last seen just now').waitFor();

    // Offline herself, Iris is shown nobody as online or offline: unknown until she is back.
    await iris.context.setOffline(true);
    await jackInIrisList.locator('[data-presence="unknown"]').waitFor({ state: 'attached' });
    await iris.page.getByTestId('conversation-status').getByText('Direct conversation').waitFor();
    await iris.context.setOffline(false);
    await jackInIrisList.locator('[data-presence="offline"]').waitFor({ state: 'attached' });
    await iris.context.close();
    await jack.context.close();
  });

  it('keeps a group of three in the same conversation, in the same order', async () => {
    const [cat, dan, eve] = await Promise.all([web.personAt('cat'), web.personAt('dan'), web.personAt('eve')]);
    await startConversation(cat.page, 'Group', { title: 'Trio', usernames: ['dan', 'eve'] });
    for (const person of [dan, eve]) await person.page.getByTestId('conversation').filter({ hasText: 'Trio' }).click();

    await write(cat.page, 'from cat');
    await dan.page.getByTestId('message-list').getByText('from cat').waitFor();
    await write(dan.page, 'from dan');
    await eve.page.getByTestId('message-list').getByText('from dan').waitFor();
    await write(eve.page, 'from eve');
    for (const person of [cat, dan, eve]) {
      await person.page.getByTestId('message-list').getByText('from eve').waitFor();
      expect(await messagesOn(person.page)).toEqual(['from cat', 'from dan', 'from eve']);
    }
    await saveScreenshot(cat.page, 'chat-group');
    await Promise.all([cat, dan, eve].map((person) => person.context.close()));
  });

  it('lets people reply to, edit and delete messages, and shows each change to the other live', async () => {
    const ada = await web.personAt('adaline');
    const bob = await web.personAt('bobby');
    await startConversation(ada.page, 'Direct', { usernames: ['bobby'] });
    await write(ada.page, 'Hello Bob');
    await bob.page.getByTestId('conversation').filter({ hasText: 'adaline' }).click();
    await bob.page.getByTestId('message-list').getByText('Hello Bob').waitFor();
    await write(bob.page, 'Hey Ada');
    await ada.page.getByTestId('message-list').getByText('Hey Ada').waitFor();

    /** Opens the actions menu of the message that says `text`, and picks `action`. */
    const act = async (page: Page, text: string, action: string) => {
      const row = messageRowOf(page, text);
      await row.hover();
      await row.getByRole('button', { name: 'Message actions' }).click();
      await page.getByRole('menuitem', { name: action, exact: true }).click();
    };
    const field = ada.page.getByRole('textbox', { name: 'Message' });

    // A refused edit goes back to what the server has, and says why.
    const isEdit = (url: URL) => url.pathname.includes('messages.edit');
    await ada.page.route(isEdit, (route) => route.abort('internetdisconnected'));
    await act(ada.page, 'Hello Bob', 'Edit');
    await expect(field.inputValue()).resolves.toBe('Hello Bob');
    await field.fill('Lost edit');
    await field.press('Enter');
    await ada.page.getByRole('alert').getByText('Cannot reach GopherChat').waitFor();
    await ada.page.getByTestId('message-list').getByText('Hello Bob', { exact: true }).waitFor();
    await ada.page.unroute(isEdit);

    await act(ada.page, 'Hello Bob', 'Edit');
    await field.fill('Hello Bob, edited');
    await field.press('Enter');
    await bob.page.getByTestId('message-list').getByText('Hello Bob, edited').waitFor();
    await bob.page.getByTestId('message-list').getByText('(edited)').waitFor();
    await expect(field.inputValue()).resolves.toBe('');

    await act(ada.page, 'Hey Ada', 'Reply');
    await ada.page.getByTestId('composer-target').getByText('Replying to bobby: Hey Ada').waitFor();
    await write(ada.page, 'Answering you');
    await ada.page.getByTestId('composer-target').waitFor({ state: 'detached' });
    const bobsReply = messageRowOf(bob.page, 'Answering you');
    await bobsReply.getByTestId('reply-quote').getByText('You: Hey Ada').waitFor();
    // The quote leads to the message it answers.
    await bobsReply.getByTestId('reply-quote').click();
    await expect(bob.page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Hey Ada');

    await write(ada.page, 'Wrong chat, sorry');
    await bob.page.getByTestId('message-list').getByText('Wrong chat, sorry').waitFor();
    await act(ada.page, 'Wrong chat, sorry', 'Delete');
    await ada.page.getByRole('menuitem', { name: 'Yes, delete' }).click();
    await bob.page.getByTestId('message-list').getByText('This message was deleted.').waitFor();
    expect(await messagesOn(bob.page)).toEqual([
      'Hello Bob, edited',
      'Hey Ada',
      'Answering you',
      'This message was deleted.',
    ]);
    // On someone else's message in a direct conversation: reactions, replying, copying, forwarding, saving and
    // pinning, no more.
    const adasRow = messageRowOf(bob.page, 'Hello Bob, edited');
    await adasRow.hover();
    await adasRow.getByRole('button', { name: 'Message actions' }).click();
    await expect(bob.page.getByRole('menuitem').allTextContents()).resolves.toEqual([
      ...['👍', '❤️', '😂', '🎉', '😮', '🙏', '+'],
      'Reply',
      'Copy text',
      'Copy link',
      'Forward…',
      'Save for later',
      'Pin',
    ]);
    await bob.page.keyboard.press('Escape');
    await bob.page.getByRole('menu').waitFor({ state: 'detached' });

    await saveScreenshot(bob.page, 'chat-edit-reply');
    await ada.context.close();
    await bob.context.close();
  });

  it('lets a group’s owner rename it and remove people, and members leave it, each seen live', async () => {
    const [ada, bob, cy] = await Promise.all([
      web.personAt('ada.group'),
      web.personAt('bob.group'),
      web.personAt('cy.group'),
    ]);
    await startConversation(ada.page, 'Group', { title: 'Book club', usernames: ['bob.group', 'cy.group'] });
    await bob.page.getByTestId('conversation').filter({ hasText: 'Book club' }).click();
    await cy.page.getByTestId('conversation').filter({ hasText: 'Book club' }).waitFor();

    await ada.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = ada.page.getByRole('dialog', { name: 'Group settings' });
    const memberRow = (username: string) => settings.getByTestId('group-member').filter({ hasText: `@${username}` });
    await memberRow('bob.group').locator('[data-presence="online"]').waitFor();
    await memberRow('ada.group').getByText('Owner').waitFor();

    // Nobody by that name, and nobody already in the group, is suggested.
    const addPeople = settings.getByRole('combobox', { name: 'Add people' });
    const suggestionsStatus = settings.getByTestId('people-picker-status');
    await addPeople.fill('nobody.here');
    await suggestionsStatus.getByText('No one found').waitFor();
    await addPeople.fill('cy.group');
    await suggestionsStatus.getByText('No one found').waitFor();
    await addPeople.fill('');
    await settings.getByRole('button', { name: 'Add', exact: true }).click();
    await settings.getByRole('alert').getByText('Pick who to add.').waitFor();

    await settings.getByLabel('Group name').fill('Reading circle');
    await settings.getByRole('button', { name: 'Rename' }).click();
    await bob.page.getByTestId('conversation').filter({ hasText: 'Reading circle' }).waitFor();
    await bob.page.getByTestId('conversation-title').getByText('Reading circle').waitFor();
    await cy.page.getByTestId('conversation').filter({ hasText: 'Reading circle' }).waitFor();

    await removeFromGroup(settings, 'cy.group');
    await cy.page.getByRole('alert').getByText('You are no longer in “Reading circle”.').waitFor();
    await cy.page.getByTestId('conversation').first().waitFor({ state: 'detached' });
    await memberRow('cy.group').waitFor({ state: 'detached' });
    await saveScreenshot(ada.page, 'group-settings');
    await settings.getByRole('button', { name: 'Close' }).click();

    // Bob is a plain member: nothing to rename or remove, but he may leave.
    await bob.page.getByRole('button', { name: 'Group settings' }).click();
    const bobsSettings = bob.page.getByRole('dialog', { name: 'Group settings' });
    await bobsSettings.getByTestId('group-member').first().waitFor();
    await expect(bobsSettings.getByLabel('Group name').count()).resolves.toBe(0);
    await expect(bobsSettings.getByRole('button', { name: /^Manage / }).count()).resolves.toBe(0);
    await bobsSettings.getByRole('button', { name: 'Leave group' }).click();
    await bobsSettings.getByRole('button', { name: 'Leave', exact: true }).click();
    await bob.page.getByTestId('conversation').first().waitFor({ state: 'detached' });
    await ada.page.getByTestId('message-list').getByText('bob.group left').waitFor();
    await ada.page.getByTestId('message-list').getByText('You removed cy.group').waitFor();
    await ada.page.getByTestId('conversation-status').getByText('1 member', { exact: true }).waitFor();

    // Adding someone back brings the group back to their list.
    await ada.page.getByRole('button', { name: 'Group settings' }).click();
    await pickPerson(settings, 'Add people', 'cy.group');
    await settings.getByRole('button', { name: 'Add', exact: true }).click();
    await memberRow('cy.group').waitFor();
    await cy.page.getByTestId('conversation').filter({ hasText: 'Reading circle' }).waitFor();
    await Promise.all([ada, bob, cy].map((person) => person.context.close()));
  });

  it('sends what was written offline once, in order, after a reload and reconnection', async () => {
    const fay = await web.personAt('fay');
    const gus = await web.personAt('gus');
    await startConversation(fay.page, 'Direct', { usernames: ['gus'] });
    await write(fay.page, 'before');
    await gus.page.getByTestId('conversation').filter({ hasText: 'fay' }).click();
    await gus.page.getByTestId('message-list').getByText('before').waitFor();

    await fay.context.setOffline(true);
    for (const text of ['offline 1', 'offline 2', 'offline 3']) await write(fay.page, text);
    await expect(fay.page.locator('[data-state="pending"]').count()).resolves.toBe(3);

    // Reloading needs the network for the page itself; sends stay cut off until the end,
    // over HTTP and over the socket (which refuses to start while cut off).
    const isSend = (url: URL) => url.pathname.includes('messages.send');
    await fay.page.route(isSend, (route) => route.abort('internetdisconnected'));
    let isCutOff = true;
    await fay.page.routeWebSocket(/\/trpc/, (socket) => {
      if (isCutOff)
        return void socket.onMessage(() => socket.close({ code: CLOSE_SERVICE_RESTART, reason: 'restarting' }));
      socket.connectToServer();
    });
    await fay.context.setOffline(false);
    await fay.page.reload();
    await fay.page.getByTestId('conversation').filter({ hasText: 'gus' }).click();
    await expect(fay.page.locator('[data-state="pending"]').count()).resolves.toBe(3);

    isCutOff = false;
    await fay.page.unroute(isSend);
    // The network is back: the socket is tried at once, not after its backoff.
    await fay.page.evaluate(() => window.dispatchEvent(new Event('online')));
    await gus.page.getByTestId('message-list').getByText('offline 3').waitFor({ timeout: 40_000 });
    await fay.page.locator('[data-state="pending"]').first().waitFor({ state: 'detached' });
    expect(await messagesOn(gus.page)).toEqual(['before', 'offline 1', 'offline 2', 'offline 3']);
    expect(await messagesOn(fay.page)).toEqual(['before', 'offline 1', 'offline 2', 'offline 3']);
    await fay.context.close();
    await gus.context.close();
  });

  it('loads older pages when scrolling up, keeping what is on screen in place', async () => {
    const hal = await web.personAt('hal');
    await openOwnGroupOf(hal.page, 'Archive', 'bulk', 120);
    await bubbleOn(hal.page, 'bulk 120').waitFor();

    // The newest page (bulk 71 to 120) is loaded. The next one is held back until the row near the top is measured.
    const isHistory = (url: URL) => url.pathname.includes('messages.history');
    const { promise: isReleased, resolve: release } = Promise.withResolvers<void>();
    await hal.page.route(isHistory, async (route) => {
      await isReleased;
      await route.continue();
    });
    const list = hal.page.getByTestId('message-list');
    await list.evaluate((element) => element.scrollTo({ top: 0 }));
    await hal.page.getByRole('status').getByText('Loading earlier messages…').waitFor();
    const topOf = (text: string) =>
      bubbleOn(hal.page, text).evaluate(
        // After the frame's layout, and the corrections measuring makes to it.
        (bubble) =>
          new Promise<number>((resolve) =>
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(bubble.getBoundingClientRect().top))),
          ),
      );
    const topBefore = await topOf('bulk 75');
    release();
    await bubbleOn(hal.page, 'bulk 70').waitFor({ state: 'attached' });
    await hal.page.unroute(isHistory);
    expect(Math.abs((await topOf('bulk 75')) - topBefore)).toBeLessThanOrEqual(1);

    await scrollUpTo(hal.page, 'bulk 1');
    // What is rendered is a run of consecutive messages from the first, in order.
    const texts = await messagesOn(hal.page);
    expect(texts).toEqual(Array.from({ length: texts.length }, (_, index) => `bulk ${index + 1}`));
    await hal.context.close();
  });

  // Regression guard for the virtualised list: rendering every loaded message made long conversations crawl.
  it('renders only the messages near the view of a long conversation, and still reaches every one, quotes too', async () => {
    const ivy = await web.personAt('ivy');
    await startConversation(ivy.page, 'Group', { title: 'Long read', usernames: [] });
    await using api = await apiAs(web.server.url, ivy.page);
    const [conversation] = await api.api.conversations.list.query();
    let firstSeq = 0;
    for (let index = 1; index <= 300; index++) {
      const sent = await api.api.messages.send.mutate({
        conversationId: conversation?.id ?? '',
        clientMessageId: `long-${index}`,
        content: { type: 'text', text: `long ${index}` },
        replyToSeq: index === 300 ? firstSeq : undefined,
      });
      if (index === 1) firstSeq = sent.seq;
    }
    await ivy.page.reload();
    await ivy.page.getByTestId('conversation').filter({ hasText: 'Long read' }).click();
    await bubbleOn(ivy.page, 'long 300').waitFor();
    const list = ivy.page.getByTestId('message-list');
    const renderedCount = () => list.getByTestId('message').count();
    expect(await renderedCount()).toBeLessThan(60);

    // Its quote names the first message, not loaded yet; followed, the messages around that one are, and it shows.
    const quote = messageRowOf(ivy.page, 'long 300').getByTestId('reply-quote');
    await quote.getByText('An earlier message').waitFor();
    await quote.click();
    await ivy.page.waitForFunction(() => document.activeElement?.textContent === 'long 1');
    await ivy.page.getByRole('button', { name: 'Jump to latest' }).click();
    await bubbleOn(ivy.page, 'long 300').waitFor();

    // Page by page up to the very first message; still only a window of them in the page.
    await scrollUpTo(ivy.page, 'long 1');
    expect(await renderedCount()).toBeLessThan(60);

    // Back to the newest, whose quote leads to the first message, far out of the rendered window.
    await ivy.page.getByRole('button', { name: 'Jump to latest' }).click();
    await bubbleOn(ivy.page, 'long 300').waitFor();
    await messageRowOf(ivy.page, 'long 300').getByTestId('reply-quote').click();
    await ivy.page.waitForFunction(() => document.activeElement?.textContent === 'long 1');
    const [listBox, firstBox] = await Promise.all([list.boundingBox(), bubbleOn(ivy.page, 'long 1').boundingBox()]);
    expect(
      firstBox && listBox && firstBox.y >= listBox.y && firstBox.y + firstBox.height <= listBox.y + listBox.height,
    ).toBe(true);
    await ivy.context.close();
  });
  it('keeps what was written and not sent, per conversation, across a reload, and shows it as a draft', async () => {
    const kit = await web.personAt('kit');
    await web.personAt('lou');
    await web.personAt('max');
    await startConversation(kit.page, 'Direct', { usernames: ['lou'] });
    await startConversation(kit.page, 'Direct', { usernames: ['max'] });
    const field = kit.page.getByRole('textbox', { name: 'Message' });
    const entry = (name: string) => kit.page.getByTestId('conversation').filter({ hasText: name });

    await entry('lou').click();
    await field.fill('Half a thought for Lou,\nto finish later');
    await entry('max').click();
    await expect(field.inputValue()).resolves.toBe('');
    await entry('lou').getByTestId('draft').getByText('Half a thought for Lou, to finish later').waitFor();
    await saveScreenshot(kit.page, 'chat-draft');

    await kit.page.reload();
    await entry('lou').getByTestId('draft').waitFor();
    await entry('lou').click();
    await expect(field.inputValue()).resolves.toBe('Half a thought for Lou,\nto finish later');
    await field.press('Enter');
    await kit.page.getByTestId('message-list').getByText('to finish later').waitFor();
    await entry('max').click();
    await expect(entry('lou').getByTestId('draft').count()).resolves.toBe(0);

    // Signing out leaves nothing written behind on the device.
    await field.fill('Private words for Max');
    await fromUserMenu(kit.page, 'Sign out');
    await kit.page.getByRole('tab', { name: 'Create account' }).waitFor();
    const stored = await kit.page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('drafts')));
    expect(stored).toEqual([]);
    await kit.context.close();
  });

  it('copies a message’s text, and a link to it that opens it in context however far back, scrolled on to the newest', async () => {
    const nell = await web.personAt('nell');
    await nell.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openOwnGroupOf(nell.page, 'Minutes', 'minute', 130);
    await scrollUpTo(nell.page, 'minute 3');
    const row = messageRowOf(nell.page, 'minute 3');
    await row.getByTestId('message').hover();
    await row.getByRole('button', { name: 'Message actions' }).click();
    await row.getByRole('menuitem', { name: 'Copy link' }).click();
    await nell.page.getByRole('alert').getByText('Link to the message copied.').waitFor();
    const link = await nell.page.evaluate(() => navigator.clipboard.readText());
    // The text as written, markers and all.
    await row.getByTestId('message').hover();
    await row.getByRole('button', { name: 'Message actions' }).click();
    await row.getByRole('menuitem', { name: 'Copy text' }).click();
    await nell.page.getByRole('alert').getByText('Text copied.').waitFor();
    await expect(nell.page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('minute 3');
    expect(new URL(link).pathname).toMatch(/^\/c\/[0-9a-f-]{36}\/m\/\d+$/);

    // Opened afresh, pages back from the newest: the messages around it are loaded, and it is in view, outlined.
    const other = await nell.context.newPage();
    await other.goto(link);
    await other.waitForFunction(() => document.activeElement?.textContent === 'minute 3');
    const [listBox, box] = await Promise.all([
      other.getByTestId('message-list').boundingBox(),
      bubbleOn(other, 'minute 3').boundingBox(),
    ]);
    expect(box && listBox && box.y >= listBox.y && box.y + box.height <= listBox.y + listBox.height).toBe(true);
    await saveScreenshot(other, 'chat-message-link');

    // The newest are not loaded, so a message that comes now waits on the server. Scrolling down loads the rest:
    // every message once, in order, up to the newest, and the one that came. There, the pill goes.
    expect(await bubbleOn(other, 'minute 130').count()).toBe(0);
    await other.getByTestId('jump-to-latest').waitFor();
    await write(nell.page, 'minute 131');
    await bubbleOn(nell.page, 'minute 131').waitFor();
    const passed = await scrollDownTo(other, 'minute 131');
    expect(passed.slice(passed.indexOf('minute 3'))).toEqual(Array.from({ length: 129 }, (_, i) => `minute ${i + 3}`));
    await other.getByTestId('jump-to-latest').waitFor({ state: 'hidden' });

    // Sent from a window further back, a message goes after the newest, and the view goes there.
    await other.goto(link);
    await other.waitForFunction(() => document.activeElement?.textContent === 'minute 3');
    await write(other, 'minute 132');
    await bubbleOn(other, 'minute 132').waitFor();
    await bubbleOn(other, 'minute 131').waitFor();
    await other.getByTestId('jump-to-latest').waitFor({ state: 'hidden' });

    // The address of a conversation that is not mine: back to the list, saying why, and the address with it.
    await other.goto(new URL(`/c/${crypto.randomUUID()}`, link).href);
    await other.getByRole('alert').getByText('That conversation does not exist, or you are not in it.').waitFor();
    await other.waitForURL((url) => url.pathname === '/');
    await nell.context.close();
  });
});
