import type { Me, Message } from '@gopherchat/api';
import { toAppError } from '@gopherchat/sdk';
import { createEffect, createMemo, createSignal, lazy, on, Show, Suspense, untrack } from 'solid-js';
import { messageLink, navigate } from '../../lib/router.ts';
import { connectionState } from '../../lib/session.ts';
import { FileDropZone } from '../attachments/file-drop-zone.tsx';
import { PendingUploads } from '../attachments/pending-uploads.tsx';
import { createEmojiPicker } from '../emoji/emoji-picking.tsx';
import { Composer, type ComposerTarget } from './composer.tsx';
import { ConversationHeader } from './conversation-header.tsx';
import { GroupSettingsButton } from './group-settings-button.tsx';
import { wordsOf } from './markdown.ts';
import { MessageList } from './message-list.tsx';
import { canEdit } from './permissions.ts';
import { PinsDialog } from './pins-dialog.tsx';
import type { ChatStore } from './store.ts';
import { messageAt, withUnconfirmed } from './timeline.ts';
import { describeTypists } from './typing.ts';

// Steps most visits never take: chunks of their own.
const ForwardDialog = lazy(() => import('./forward-dialog.tsx'));
const SendFilesDialog = lazy(() => import('../attachments/send-files-dialog.tsx'));

/**
 * The open conversation: its header, messages, who is typing, files on their
 * way and the composer; a prompt to pick one when none is open.
 */
export function ConversationPane(props: {
  me: Me;
  chat: ChatStore;
  /** The message the address names, to show in context. */
  linkedSeq: number | undefined;
  onBack: () => void;
}) {
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
  const emojiPicker = createEmojiPicker(chat.emoji);
  // The steps before files go and before a message is forwarded: dialogs shown while set.
  const [pickedFiles, setPickedFiles] = createSignal<{
    files: readonly File[];
    caption: string;
    taken: (() => void) | undefined;
  }>();
  const [forwarding, setForwarding] = createSignal<Message>();
  const react = (seq: number, emoji: string) => {
    const id = state.activeId;
    if (!id) return;
    // Recent emoji are the ones I react with: taking a reaction back does not count as using it.
    void chat.toggleReaction(id, seq, emoji, chat.emoji.noteUsed);
  };
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

  /** Puts `text` on the clipboard, and says so (`what`: "Link to the message", "Text"). */
  const copy = async (text: string, what: string) => {
    try {
      await navigator.clipboard.writeText(text);
      chat.tell(`${what} copied.`);
    } catch {
      chat.tell(`${what} could not be copied: the browser did not allow it.`);
    }
  };

  const [composerTarget, setComposerTarget] = createSignal<ComposerTarget>();
  // Edited as written, markers and all.
  const editTargetOf = (message: Message): ComposerTarget => ({
    kind: 'edit',
    seq: message.seq,
    text: message.content.type === 'text' ? message.content.text : '',
  });
  createEffect(
    on(
      () => state.activeId,
      () => setComposerTarget(undefined),
    ),
  );
  // The peer's profile, for the status they set (their name comes with the conversation); a group's members', for
  // their pictures beside what they write.
  createEffect(() => {
    const peerId = active()?.peer?.userId;
    chat.people.want(peerId ? [peerId] : Object.keys(timeline()?.members ?? {}));
  });
  // A message deleted (here or elsewhere) while being edited has nothing left to edit.
  createEffect(() => {
    const target = composerTarget();
    if (target?.kind !== 'edit') return;
    const message = messageAt(messages(), target.seq);
    if (!message || !canEdit(message, props.me.id)) setComposerTarget(undefined);
  });

  return (
    <section class="flex min-h-0 flex-1 flex-col" aria-label="Conversation">
      <Show
        when={active()}
        fallback={<p class="m-auto px-6 text-center text-sm text-fg-muted">Pick a conversation, or start a new one.</p>}
      >
        {(conversation) => (
          // Files dropped anywhere on the conversation are shared in it.
          <FileDropZone
            class="flex min-h-0 flex-1 flex-col"
            onFiles={(files) => setPickedFiles({ files, caption: '', taken: undefined })}
          >
            <ConversationHeader
              myId={props.me.id}
              conversation={conversation()}
              members={timeline()?.members ?? {}}
              presence={state.presence}
              statuses={chat.people.statuses}
              avatars={chat.people.avatars}
              onBack={props.onBack}
            >
              <PinsDialog
                conversationId={conversation().id}
                myId={props.me.id}
                nameOf={nameOf}
                load={chat.listPinned}
                describe={(error) => toAppError(error).userMessage}
                onShow={(seq) => navigate({ page: 'conversation', conversationId: conversation().id, seq })}
              />
              <Show when={conversation().kind === 'group'}>
                <GroupSettingsButton
                  myId={props.me.id}
                  conversation={conversation()}
                  members={timeline()?.members ?? {}}
                  presence={state.presence}
                  statuses={chat.people.statuses}
                  avatars={chat.people.avatars}
                  wantProfiles={chat.people.want}
                  onRename={(title) => chat.renameGroup(conversation().id, title)}
                  picture={{
                    save: (attachmentId) => chat.setGroupPicture(conversation().id, attachmentId),
                    remove: () => chat.removeGroupPicture(conversation().id),
                  }}
                  onAdd={(userIds) => chat.addMembers(conversation().id, userIds)}
                  changes={{
                    setRole: (userId, role) => chat.setRole(conversation().id, userId, role),
                    makeOwner: (userId) => chat.transferOwnership(conversation().id, userId),
                    remove: (userId) => chat.removeMember(conversation().id, userId),
                  }}
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
              linkedSeq={props.linkedSeq}
              hasCurrentMessages={hasCurrentMessages()}
              outgoing={outgoing()}
              members={timeline()?.members ?? {}}
              names={names()}
              avatars={chat.people.avatars}
              pointers={timeline()?.pointers ?? {}}
              hasOlder={timeline()?.hasOlder ?? false}
              isLoadingOlder={timeline()?.isLoadingOlder ?? false}
              onLoadOlder={() => void chat.loadOlder(conversation().id)}
              hasNewer={timeline()?.hasNewer ?? false}
              isLoadingNewer={timeline()?.isLoadingNewer ?? false}
              onLoadNewer={() => void chat.loadNewer(conversation().id)}
              onShowNewest={() => chat.showNewest(conversation().id)}
              onOpenAround={(seq) => void chat.openAround(conversation().id, seq)}
              onRetry={chat.retry}
              onDiscard={chat.discard}
              onSeen={(seq) => chat.markRead(conversation().id, seq)}
              onCopyLink={(seq) =>
                void copy(messageLink(window.location.origin, conversation().id, seq), 'Link to the message')
              }
              onCopyText={(text) => void copy(text, 'Text')}
              onReply={(message) =>
                setComposerTarget({
                  kind: 'reply',
                  seq: message.seq,
                  authorName: message.senderId === props.me.id ? 'yourself' : nameOf(message.senderId ?? ''),
                  words: wordsOf(message.content),
                })
              }
              onEdit={(message) => setComposerTarget(editTargetOf(message))}
              onDelete={(message) => void chat.deleteMessage(conversation().id, message.seq)}
              onPin={(message, isPinning) => void chat.setPinned(conversation().id, message.seq, isPinning)}
              isSaved={(seq) => chat.saved.isSaved(conversation().id, seq)}
              onSave={(message, isSaving) => void chat.saved.setSaved(conversation().id, message.seq, isSaving)}
              onForward={setForwarding}
              onRemovePreview={(seq) => void chat.removePreview(conversation().id, seq)}
              onToggleReaction={(message, emoji) => react(message.seq, emoji)}
              onPickReaction={(message, anchor) =>
                emojiPicker.open({
                  label: `React to ${message.senderId === props.me.id ? 'your' : `${nameOf(message.senderId ?? '')}’s`} message`,
                  anchor,
                  onPick: (emoji) => react(message.seq, emoji),
                })
              }
              recentEmoji={chat.emoji.recent()}
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
              drafts={chat.drafts}
              onSend={(text, replyToSeq) => chat.send(conversation().id, text, replyToSeq)}
              onEdit={(seq, text) => void chat.edit(conversation().id, seq, text)}
              onAttach={(files, caption) => chat.attachments.attach(conversation().id, files, caption)}
              onPickFiles={(files, caption, taken) => setPickedFiles({ files, caption, taken })}
              onTargetDone={() => setComposerTarget(undefined)}
              onTyping={chat.signalTyping}
              emoji={{ prefs: chat.emoji, pick: emojiPicker.open }}
              mentions={{
                people: () =>
                  Object.values(timeline()?.members ?? {}).filter((member) => member.userId !== props.me.id),
                isGroup: () => conversation().kind === 'group',
                avatarOf: (userId) => chat.people.avatars[userId],
              }}
              onEditLast={() => {
                const last = messages().findLast((message) => canEdit(message, props.me.id));
                if (last) setComposerTarget(editTargetOf(last));
              }}
            />
          </FileDropZone>
        )}
      </Show>
      <emojiPicker.Popover />
      <Show when={forwarding()} keyed>
        {(message) => (
          <Suspense>
            <ForwardDialog
              message={message}
              conversations={chat.conversationList()}
              onForward={(forwarded, toConversationId) => void chat.forward(forwarded, toConversationId)}
              onClose={() => setForwarding(undefined)}
            />
          </Suspense>
        )}
      </Show>
      <Show when={pickedFiles()} keyed>
        {(picked) => (
          <Suspense>
            <SendFilesDialog
              files={picked.files}
              initialCaption={picked.caption}
              taken={picked.taken}
              onSend={(files, caption) => {
                const id = state.activeId;
                if (id) chat.attachments.attach(id, files, caption);
              }}
              onClose={() => setPickedFiles(undefined)}
            />
          </Suspense>
        )}
      </Show>
    </section>
  );
}
