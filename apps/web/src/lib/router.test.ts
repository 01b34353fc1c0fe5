import { describe, expect, it } from 'bun:test';
import { messageLink, parseRoute, pathOf, type Route } from './router.ts';

const id = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('routes', () => {
  it('names every page and every message by its address, and back', () => {
    const routes: Route[] = [
      { page: 'chats' },
      { page: 'conversation', conversationId: id },
      { page: 'conversation', conversationId: id, seq: 42 },
      { page: 'account' },
      { page: 'server' },
    ];
    for (const route of routes) expect(parseRoute(pathOf(route))).toEqual(route);
    expect(pathOf({ page: 'conversation', conversationId: id, seq: 42 })).toBe(`/c/${id}/m/42`);
    expect(messageLink('https://chat.example', id, 7)).toBe(`https://chat.example/c/${id}/m/7`);
  });

  it('reads a trailing slash as the same page', () => {
    expect(parseRoute(`/c/${id}/`)).toEqual({ page: 'conversation', conversationId: id });
    expect(parseRoute('/account/')).toEqual({ page: 'account' });
  });

  it('opens the conversation list for an address it does not know, or a message number that is no number', () => {
    expect(parseRoute('/nowhere')).toEqual({ page: 'chats' });
    expect(parseRoute(`/c/${id}/m/0`)).toEqual({ page: 'conversation', conversationId: id });
    expect(parseRoute(`/c/${id}/m/99999999999999999999`)).toEqual({ page: 'conversation', conversationId: id });
    expect(parseRoute(`/c/${id}/m/x`)).toEqual({ page: 'chats' });
    expect(parseRoute('/c/%E0%A4%A')).toEqual({ page: 'chats' });
  });

  it('keeps an id with characters an address must escape intact', () => {
    expect(parseRoute(pathOf({ page: 'conversation', conversationId: 'a/b c' }))).toEqual({
      page: 'conversation',
      conversationId: 'a/b c',
    });
  });
});
