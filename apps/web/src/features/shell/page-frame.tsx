import type { JSX } from 'solid-js';
import { BackToConversations } from '../../lib/ui/back-to-conversations.tsx';

/** A page beside the conversations (the account, the announcements): its title, and the way back to the chats. */
export function PageFrame(props: { title: string; onBack: () => void; children: JSX.Element }) {
  return (
    <section class="flex min-h-0 flex-1 flex-col" aria-labelledby="page-title">
      <header class="flex items-center gap-2 border-b border-line px-3 py-2">
        <BackToConversations onBack={props.onBack} />
        <h2 id="page-title" class="truncate font-semibold">
          {props.title}
        </h2>
      </header>
      <div class="min-h-0 flex-1 overflow-y-auto p-3 sm:p-6">{props.children}</div>
    </section>
  );
}
