/** A 24 × 24 outline icon (Heroicons' style) drawn from one path, in the text colour. */
export function OutlineIcon(props: { path: string; class?: string }) {
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.5"
      class={props.class ?? 'h-5 w-5'}
      aria-hidden="true"
    >
      <path stroke-linecap="round" stroke-linejoin="round" d={props.path} />
    </svg>
  );
}
