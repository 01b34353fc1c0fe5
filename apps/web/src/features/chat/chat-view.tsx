import type { Me } from '@gopherchat/api';
import { createEffect, createMemo, createSignal, on, Show, untrack } from 'solid-js';
import { connectionState } from '../../lib/session.ts';
import { Toast } from '../../lib/ui/toast.tsx';
import { FileDropZone } from '../attachments/file-drop-zone.tsx';
import { PendingUploads } from '../attachments/pending-uploads.tsx';
import { Composer, type ComposerTarget } from './composer.tsx';
import { ConnectionBanner } from './connection-banner.tsx';
import { ConversationHeader } from './conversation-header.tsx';
import { ConversationList } from './conversation-list.tsx';
import { GroupSettingsDialog } from './group-settings-dialog.tsx';
import { wordsOf } from './markdown.ts';
import { MessageList } from './message-list.tsx';
import { NewConversationDialog } from './new-conversation-dialog.tsx';
import { canEdit } from './permissions.ts';
import type { ChatStore } from './store.ts';
import { messageAt, withUnconfirmed } from './timeline.ts';
import { describeTypists } from './typing.ts';

/** How long a problem stays on screen: longer than a toast's default. */
const NOTICE_MS = 6_000;

/**
 * The chat screen: conversations on the left, the open one on the right (one
 * at a time on a phone). The chat itself outlives it (`Shell` makes it): on
 * the account page I stay online and keep receiving.
 */
export function ChatView(props: { me: Me; chat: ChatStore }) {
  const { chat } = props;
  const { state } = chat;
  const active = createMemo(() => (state.activeId ? state.conversations[state.activeId] : undefined));
  const timeline = createMemo(() => (state.activeId ? state.timelines[state.activeId] : undefined));
  const messages = createMemo(() => {
    const current = timeline();
    return current ? withUnconfirmed(current.messages, current.unconfirmed) : [];
  });
  // How far I had read when the conversation opened: read on screen since, it still opens where it opened.
  const readUpTo = createMemo(
    on(
      () => state.activeId,
      (id) => (id ? untrack(() => state.conversations[id]?.lastReadSeq ?? 0) : 0),
    ),
  );
  // The last visit's copy is placed only while there is nothing better to wait for: no live connection.
  const hasCurrentMessages = () => {
    const current = timeline();
    return current !== undefined && (!current.isCached || connectionState().status !== 'live');
  };
  // The conversation's own names (its members, live) first; the directory knows those it no longer lists.
  const names = createMemo(() => ({ ...chat.people.names, ...timeline()?.names }));
  const nameOf = (userId: string) => names()[userId] ?? 'Someone';
  const outgoing = createMemo(() => state.outbox.filter((message) => message.conversationId === state.activeId));
  const uploads = createMemo(() =>
    chat.attachments.state.uploads.filter((upload) => upload.conversationId === state.activeId),
  );
  const typing = createMemo(() => {
    const typists = state.activeId ? state.typing[state.activeId] : undefined;
    return describeTypists(
      Object.keys(typists ?? {})
        .map(nameOf)
        .sort(),
    );
  });

  const [composerTarget, setComposerTarget] = createSignal<ComposerTarget>();
  createEffect(
    on(
      () => state.activeId,
      () => setComposerTarget(undefined),
    ),
  );
  // A message deleted (here or elsewhere) while being edited has nothing left to edit.
  createEffect(() => {
    const target = composerTarget();
    if (target?.kind !== 'edit') return;
    const message = messageAt(messages(), target.seq);
    if (!message || !canEdit(message, props.me.id)) setComposerTarget(undefined);
  });

  return (
    <div
      data-testid="chat"
      data-live={connectionState().status}
      class="grid h-[calc(100dvh-7rem)] min-h-[28rem] overflow-hidden rounded-2xl border border-line bg-surface-raised shadow-sm md:grid-cols-[300px_1fr]"
    >
      <aside class={`min-h-0 flex-col border-r border-line ${active() ? 'hidden md:flex' : 'flex'}`}>
        <div class="flex items-center justify-between gap-2 border-b border-line p-3">
          <h2 class="text-sm font-semibold">Chats</h2>
          <NewConversationDialog myId={props.me.id} onStartDirect={chat.startDirect} onStartGroup={chat.startGroup} />
        </div>
        <ConnectionBanner />
        <ConversationList
          myId={props.me.id}
          conversations={chat.conversationList()}
          presence={state.presence}
          activeId={state.activeId}
          nameOf={(userId) => chat.people.names[userId] ?? 'Someone'}
          onOpen={(id) => void chat.open(id)}
        />
      </aside>
      <section class={`min-h-0 flex-col ${active() ? 'flex' : 'hidden md:flex'}`} aria-label="Conversation">
        <Show
          when={active()}
          fallback={
            <p class="m-auto px-6 text-center text-sm text-fg-muted">Pick a conversation, or start a new one.</p>
          }
        >
          {(conversation) => (
            // Files dropped anywhere on the conversation are shared in it.
            <FileDropZone
              class="flex min-h-0 flex-1 flex-col"
              onFiles={(files) => chat.attachments.attach(conversation().id, files)}
            >
              <ConversationHeader
                myId={props.me.id}
                conversation={conversation()}
                members={timeline()?.members ?? {}}
                presence={state.presence}
                onBack={chat.close}
              >
                <Show when={conversation().kind === 'group'}>
                  <GroupSettingsDialog
                    myId={props.me.id}
                    conversation={conversation()}
                    members={timeline()?.members ?? {}}
                    presence={state.presence}
                    onRename={(title) => chat.renameGroup(conversation().id, title)}
                    onAdd={(userIds) => chat.addMembers(conversation().id, userIds)}
                    onRemove={(userId) => chat.removeMember(conversation().id, userId)}
                    onLeave={() => chat.leaveGroup(conversation().id)}
                  />
                </Show>
              </ConversationHeader>
              <MessageList
                conversationId={conversation().id}
                kind={conversation().kind}
                myId={props.me.id}
                myRole={conversation().myRole}
                messages={messages()}
                readUpTo={readUpTo()}
                hasCurrentMessages={hasCurrentMessages()}
                outgoing={outgoing()}
                members={timeline()?.members ?? {}}
                names={names()}
                pointers={timeline()?.pointers ?? {}}
                hasOlder={timeline()?.hasOlder ?? false}
                isLoadingOlder={timeline()?.isLoadingOlder ?? false}
                onLoadOlder={() => void chat.loadOlder(conversation().id)}
                onRetry={chat.retry}
                onDiscard={chat.discard}
                onSeen={(seq) => chat.markRead(conversation().id, seq)}
                onReply={(message) =>
                  setComposerTarget({
                    kind: 'reply',
                    seq: message.seq,
                    authorName: message.senderId === props.me.id ? 'yourself' : nameOf(message.senderId ?? ''),
                    words: wordsOf(message.content),
                  })
                }
                onEdit={(message) =>
                  // Edited as written, markers and all.
                  setComposerTarget({
                    kind: 'edit',
                    seq: message.seq,
                    text: message.content.type === 'text' ? message.content.text : '',
                  })
                }
                onDelete={(message) => void chat.deleteMessage(conversation().id, message.seq)}
                attachments={chat.attachments}
              />
              {/* Always there and one line high: typing coming and going neither moves the messages nor goes unannounced. */}
              <div class="h-5 truncate px-4 text-xs italic text-fg-muted" aria-live="polite">
                <Show when={typing()}>{(text) => <span data-testid="typing">{text()}</span>}</Show>
              </div>
              <PendingUploads
                uploads={uploads()}
                onCancel={chat.attachments.cancel}
                onRetry={chat.attachments.retry}
                onDismiss={chat.attachments.dismiss}
              />
              <Composer
                conversationId={conversation().id}
                target={composerTarget()}
                onSend={(text, replyToSeq) => chat.send(conversation().id, text, replyToSeq)}
                onEdit={(seq, text) => void chat.edit(conversation().id, seq, text)}
                onAttach={(files, caption) => chat.attachments.attach(conversation().id, files, caption)}
                onTargetDone={() => setComposerTarget(undefined)}
                onTyping={chat.signalTyping}
              />
            </FileDropZone>
          )}
        </Show>
      </section>
      <Toast notice={chat.notice()} onDone={chat.dismissNotice} role="alert" durationMs={NOTICE_MS} />
    </div>
  );
}
