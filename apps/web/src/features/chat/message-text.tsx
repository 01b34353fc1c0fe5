import type { MessageMentions } from '@gopherchat/api';
import { createMemo, type JSX, Show } from 'solid-js';
import { type BlockNode, type InlineNode, parseMarkdown } from './markdown.ts';

// Translucent, so that code reads on my accent bubbles and on others' grey ones, in either theme.
const CODE_BACKGROUND = 'rounded bg-black/10 dark:bg-white/10';

/** Who reads the message: mentions of them (by name, or everyone) stand out more than others'. */
type Reader = { myId: string | undefined };

/** One fixed element per kind of node, every string as text: see markdown.ts for why this is the sanitiser. */
function renderInline(node: InlineNode, reader: Reader): JSX.Element {
  const inline = (child: InlineNode) => renderInline(child, reader);
  switch (node.type) {
    case 'text':
      return node.text;
    case 'mention': {
      const isMe = node.userId === undefined || node.userId === reader.myId;
      return (
        <span
          class={`rounded px-0.5 font-semibold ${isMe ? 'bg-amber-300/60 text-fg dark:bg-amber-400/35' : CODE_BACKGROUND}`}
          data-testid="mention"
        >
          {node.text}
        </span>
      );
    }
    case 'link':
      return (
        <a
          href={node.href}
          // A labelled link says where it leads on hover, as its address would.
          title={node.text === node.href ? undefined : node.href}
          target="_blank"
          rel="noopener noreferrer"
          class="underline underline-offset-2 hover:decoration-2"
        >
          {node.text}
        </a>
      );
    case 'code':
      return <code class={`${CODE_BACKGROUND} px-1 font-mono text-[0.9em]`}>{node.text}</code>;
    case 'strong':
      return <strong>{node.children.map(inline)}</strong>;
    case 'emphasis':
      return <em>{node.children.map(inline)}</em>;
    case 'strike':
      return <s>{node.children.map(inline)}</s>;
  }
}

function renderBlock(block: BlockNode, reader: Reader): JSX.Element {
  const inline = (child: InlineNode) => renderInline(child, reader);
  switch (block.type) {
    case 'paragraph':
      return <p>{block.children.map(inline)}</p>;
    case 'code-block':
      return (
        <pre class={`${CODE_BACKGROUND} overflow-x-auto px-2 py-1.5 font-mono text-xs`}>
          <code>{block.text}</code>
        </pre>
      );
    case 'quote':
      return (
        <blockquote class="flex flex-col gap-1 border-l-3 border-current pl-2">
          {block.children.map((child) => renderBlock(child, reader))}
        </blockquote>
      );
    case 'bullet-list':
      return (
        <ul class="list-disc pl-5">
          {block.items.map((item) => (
            <li>{item.map(inline)}</li>
          ))}
        </ul>
      );
    case 'numbered-list':
      return (
        <ol class="list-decimal pl-5" start={block.start}>
          {block.items.map((item) => (
            <li>{item.map(inline)}</li>
          ))}
        </ol>
      );
  }
}

/**
 * A message body: light markdown (markdown.ts) with its links opening in a
 * new tab, without access to this page (`noopener noreferrer`), and the
 * people it mentions as chips (the reader's own, and everyone, highlighted).
 */
export function MessageText(props: { text: string; mentions?: MessageMentions; myId?: string }) {
  const blocks = createMemo(() => parseMarkdown(props.text, props.mentions));
  const reader: Reader = {
    get myId() {
      return props.myId;
    },
  };
  const onlyParagraph = () => {
    const [first, ...rest] = blocks();
    return first?.type === 'paragraph' && rest.length === 0 ? first : undefined;
  };
  // Most messages are one paragraph: its text goes straight into the bubble, with no element around it, so a long
  // list renders no more nodes than it did before markdown.
  return (
    <Show
      when={onlyParagraph()}
      fallback={<div class="flex flex-col gap-1">{blocks().map((block) => renderBlock(block, reader))}</div>}
    >
      {(paragraph) => paragraph().children.map((node) => renderInline(node, reader))}
    </Show>
  );
}
