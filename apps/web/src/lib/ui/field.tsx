import { type JSX, splitProps } from 'solid-js';

/** A labelled input; `hint` is shown under it and describes it to screen readers. */
export function Field(
  props: {
    label: string;
    id: string;
    hint?: JSX.Element;
  } & JSX.InputHTMLAttributes<HTMLInputElement>,
) {
  // The label and hint are rendered around the input, not spread onto it as attributes.
  const [own, input] = splitProps(props, ['label', 'hint']);
  return (
    <div class="flex flex-col gap-1.5">
      <label for={input.id} class="text-sm font-medium text-fg">
        {own.label}
      </label>
      <input {...input} class="field" aria-describedby={own.hint ? `${input.id}-hint` : undefined} />
      {own.hint && (
        <div id={`${input.id}-hint`} class="text-xs text-fg-muted">
          {own.hint}
        </div>
      )}
    </div>
  );
}
