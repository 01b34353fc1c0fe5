import type { JSX } from 'solid-js';

/** A labelled input; `error` is announced to screen readers and shown under it. */
export function Field(
  props: {
    label: string;
    id: string;
    hint?: JSX.Element;
  } & JSX.InputHTMLAttributes<HTMLInputElement>,
) {
  return (
    <div class="flex flex-col gap-1.5">
      <label for={props.id} class="text-sm font-medium text-slate-700 dark:text-slate-300">
        {props.label}
      </label>
      <input {...props} class="field" aria-describedby={props.hint ? `${props.id}-hint` : undefined} />
      {props.hint && (
        <div id={`${props.id}-hint`} class="text-xs text-slate-500 dark:text-slate-400">
          {props.hint}
        </div>
      )}
    </div>
  );
}
