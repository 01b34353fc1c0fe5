import { liveStatusOf, type Me } from '@gopherchat/api';
import { createEffect, createSignal, lazy, Match, on, onCleanup, Show, Suspense, Switch } from 'solid-js';
import { currentRoute, navigate, type Route } from '../../lib/router.ts';
import { clearMyStatus, connectionState, setMyStatus, signOut } from '../../lib/session.ts';
import { conversationAfter, isTypingTarget, shortcutOf } from '../../lib/shortcuts.ts';
import { Toast } from '../../lib/ui/toast.tsx';
import { showAttentionInTab } from '../chat/attention.ts';
import { ChatSidebar } from '../chat/chat-sidebar.tsx';
import { ConversationPane } from '../chat/conversation-pane.tsx';
import { createChatStore } from '../chat/store.ts';
import { PageFrame } from './page-frame.tsx';
import { createShortcutsDialog } from './shortcuts-dialog.tsx';
import { UserMenu } from './user-menu.tsx';

/** Out of sight (and of the layout) until focused, then a button at the top left. */
const SKIP_LINK =
  'sr-only focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-40 focus:rounded-xl focus:bg-accent focus:px-4 focus:py-2.5 focus:text-sm focus:font-medium focus:text-accent-contrast';

// Pages most visits never open: chunks of their own, out of the app's first load.
const AccountPage = lazy(() => import('../auth/account-page.tsx').then((module) => ({ default: module.AccountPage })));
const AnnouncementsPage = lazy(() => import('./announcements-page.tsx'));
const StatusDialog = lazy(() => import('../status/status-dialog.tsx'));

const PageLoading = () => (
  <p class="text-sm text-fg-muted" role="status">
    Loading…
  </p>
);

/** How long a problem stays on screen: longer than a toast's default. */
const NOTICE_MS = 6_000;

/**
 * The signed-in app, the whole height of the window: the conversations in a
 * sidebar under who is signed in, and beside them what the address names
 * (a conversation, the account, the announcements). On a phone one of the
 * two shows at a time, with a way back to the list.
 */
export function Shell(props: { user: Me }) {
  // For the whole signed-in session, not only while a conversation shows: away from it I am still online.
  const chat = createChatStore(props.user);
  const { state } = chat;
  // Unread mentions of me in the tab's title and icon, seen from other tabs and the taskbar.
  showAttentionInTab(chat.conversationList);
  const go = (route: Route) => navigate(route);
  const toChats = () => navigate({ page: 'chats' });

  // The address picks the open conversation (back, forward, a reload, a link)…
  createEffect(
    on(currentRoute, (route) => {
      if (route.page === 'conversation') {
        if (state.activeId !== route.conversationId) void chat.open(route.conversationId);
      } else if (route.page === 'chats' && state.activeId !== undefined) chat.close();
    }),
  );
  // …and the chat's own moves (a conversation just started, a group left) show in the address.
  createEffect(
    on(
      () => state.activeId,
      (activeId) => {
        const route = currentRoute();
        if (activeId !== undefined && (route.page !== 'conversation' || route.conversationId !== activeId)) {
          navigate({ page: 'conversation', conversationId: activeId });
        } else if (activeId === undefined && route.page === 'conversation')
          navigate({ page: 'chats' }, { replace: true });
      },
      { defer: true },
    ),
  );

  const linkedSeq = () => {
    const route = currentRoute();
    return route.page === 'conversation' ? route.seq : undefined;
  };
  const shortcuts = createShortcutsDialog();
  const [isSettingStatus, setIsSettingStatus] = createSignal(false);
  const onKeyDown = (event: KeyboardEvent) => {
    const { key, altKey, ctrlKey, metaKey } = event;
    const shortcut = shortcutOf({ key, altKey, ctrlKey, metaKey, isTyping: isTypingTarget(event.target) });
    if (!shortcut || event.defaultPrevented) return;
    event.preventDefault();
    if (shortcut === 'show-shortcuts') return shortcuts.open();
    const ids = chat.conversationList().map((summary) => summary.id);
    const next = conversationAfter(ids, state.activeId, shortcut === 'next-conversation' ? 1 : -1);
    if (next) go({ page: 'conversation', conversationId: next });
  };
  document.addEventListener('keydown', onKeyDown);
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));

  // On a phone the list is the page only at the list's own address.
  const isListPage = () => currentRoute().page === 'chats';
  return (
    <div
      class="grid h-dvh overflow-hidden bg-surface-raised pb-[env(safe-area-inset-bottom)] pl-[env(safe-area-inset-left)] pr-[env(safe-area-inset-right)] pt-[env(safe-area-inset-top)] md:grid-cols-[320px_1fr]"
      data-testid="chat"
      data-live={connectionState().status}
    >
      {/* For keyboard users: past the sidebar in one step. Each is seen only while focused. */}
      <a href="#conversation-list" class={SKIP_LINK}>
        Skip to conversations
      </a>
      <Show when={state.activeId}>
        <a href="#message-field" class={SKIP_LINK}>
          Skip to the message field
        </a>
      </Show>
      <aside
        class={`min-h-0 min-w-0 flex-col border-line md:border-r ${isListPage() ? 'flex' : 'hidden md:flex'}`}
        aria-label="Conversations and account"
      >
        <div class="flex items-center gap-2 border-b border-line px-2 py-1.5">
          <span
            class="h-8 w-8 flex flex-none items-center justify-center rounded-xl bg-accent text-sm font-bold text-accent-contrast"
            aria-hidden="true"
          >
            G
          </span>
          <h1 class="sr-only">GopherChat</h1>
          <UserMenu
            user={props.user}
            onGo={go}
            onSetStatus={() => setIsSettingStatus(true)}
            onSignOut={() => void signOut()}
          />
        </div>
        <ChatSidebar
          me={props.user}
          chat={chat}
          onOpen={(conversationId) => go({ page: 'conversation', conversationId })}
        />
      </aside>
      <main class={`min-h-0 min-w-0 flex-col ${isListPage() ? 'hidden md:flex' : 'flex'}`}>
        <Switch>
          <Match when={currentRoute().page === 'account'}>
            <PageFrame title="Account" onBack={toChats}>
              <Suspense fallback={<PageLoading />}>
                <AccountPage
                  username={props.user.username}
                  email={props.user.email}
                  displayName={props.user.displayName}
                  avatarKey={props.user.avatarKey}
                />
              </Suspense>
            </PageFrame>
          </Match>
          <Match when={currentRoute().page === 'server'}>
            <PageFrame title="Announcements" onBack={toChats}>
              <Suspense fallback={<PageLoading />}>
                <AnnouncementsPage user={props.user} />
              </Suspense>
            </PageFrame>
          </Match>
          <Match when={true}>
            <ConversationPane me={props.user} chat={chat} linkedSeq={linkedSeq()} onBack={toChats} />
          </Match>
        </Switch>
      </main>
      <Toast notice={chat.notice()} onDone={chat.dismissNotice} role="alert" durationMs={NOTICE_MS} />
      <shortcuts.Dialog />
      <Show when={isSettingStatus()}>
        <Suspense>
          <StatusDialog
            current={liveStatusOf(props.user.status, Date.now())}
            save={setMyStatus}
            clear={clearMyStatus}
            onClose={() => setIsSettingStatus(false)}
          />
        </Suspense>
      </Show>
    </div>
  );
}
