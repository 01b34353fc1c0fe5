import { createMemo, type JSX, Show } from 'solid-js';
import { type BlockNode, type InlineNode, parseMarkdown } from './markdown.ts';

// Translucent, so that code reads on my accent bubbles and on others' grey ones, in either theme.
const CODE_BACKGROUND = 'rounded bg-black/10 dark:bg-white/10';

/** One fixed element per kind of node, every string as text: see markdown.ts for why this is the sanitiser. */
function renderInline(node: InlineNode): JSX.Element {
  switch (node.type) {
    case 'text':
      return node.text;
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
      return <strong>{node.children.map(renderInline)}</strong>;
    case 'emphasis':
      return <em>{node.children.map(renderInline)}</em>;
    case 'strike':
      return <s>{node.children.map(renderInline)}</s>;
  }
}

function renderBlock(block: BlockNode): JSX.Element {
  switch (block.type) {
    case 'paragraph':
      return <p>{block.children.map(renderInline)}</p>;
    case 'code-block':
      return (
        <pre class={`${CODE_BACKGROUND} overflow-x-auto px-2 py-1.5 font-mono text-xs`}>
          <code>{block.text}</code>
        </pre>
      );
    case 'quote':
      return (
        <blockquote class="flex flex-col gap-1 border-l-3 border-current pl-2">
          {block.children.map(renderBlock)}
        </blockquote>
      );
    case 'bullet-list':
      return (
        <ul class="list-disc pl-5">
          {block.items.map((item) => (
            <li>{item.map(renderInline)}</li>
          ))}
        </ul>
      );
    case 'numbered-list':
      return (
        <ol class="list-decimal pl-5" start={block.start}>
          {block.items.map((item) => (
            <li>{item.map(renderInline)}</li>
          ))}
        </ol>
      );
  }
}

/**
 * A message body: light markdown (markdown.ts) with its links opening in a
 * new tab, without access to this page (`noopener noreferrer`).
 */
export function MessageText(props: { text: string }) {
  const blocks = createMemo(() => parseMarkdown(props.text));
  const onlyParagraph = () => {
    const [first, ...rest] = blocks();
    return first?.type === 'paragraph' && rest.length === 0 ? first : undefined;
  };
  // Most messages are one paragraph: its text goes straight into the bubble, with no element around it, so a long
  // list renders no more nodes than it did before markdown.
  return (
    <Show when={onlyParagraph()} fallback={<div class="flex flex-col gap-1">{blocks().map(renderBlock)}</div>}>
      {(paragraph) => paragraph().children.map(renderInline)}
    </Show>
  );
}
