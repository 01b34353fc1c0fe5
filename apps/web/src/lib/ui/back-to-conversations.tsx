/** The way back to the conversation list; `class` hides it where the list shows beside it anyway. */
export function BackToConversations(props: { onBack: () => void; class?: string }) {
  return (
    <button
      type="button"
      class={`btn px-2 ${props.class ?? ''}`}
      aria-label="Back to conversations"
      onClick={() => props.onBack()}
    >
      ←
    </button>
  );
}
