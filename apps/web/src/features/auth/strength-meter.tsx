import type { PasswordAssessment } from '@gopherchat/api/password-policy';
import { createResource, For, Show } from 'solid-js';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];
const COLORS = ['bg-red-500', 'bg-orange-500', 'bg-amber-500', 'bg-emerald-500', 'bg-emerald-600'];

// The dictionaries behind the policy are large: load them only on this form.
const loadPolicy = () => import('@gopherchat/api/password-policy');

/** The server's own password policy, run live as the person types. */
export function StrengthMeter(props: { password: string; relatedInputs: string[] }) {
  const [policy] = createResource(loadPolicy);
  const assessment = (): PasswordAssessment | undefined =>
    props.password ? policy()?.assessPassword(props.password, props.relatedInputs) : undefined;

  return (
    <div class="flex flex-col gap-1.5" aria-live="polite" data-testid="strength-meter">
      <div class="flex gap-1" aria-hidden="true">
        <For each={[0, 1, 2, 3]}>
          {(index) => (
            <span
              // One background class at a time: a filled and an empty one would fight over CSS order.
              class={`h-1.5 flex-1 rounded-full transition-colors ${
                (assessment()?.score ?? -1) > index ? COLORS[assessment()?.score ?? 0] : 'bg-line-strong'
              }`}
            />
          )}
        </For>
      </div>
      <Show when={assessment()}>
        {(verdict) => (
          <p
            class="text-xs"
            classList={{
              'text-success': verdict().isAcceptable,
              'text-fg-muted': !verdict().isAcceptable,
            }}
          >
            <span class="font-medium">{LABELS[verdict().score]}.</span>{' '}
            {verdict().isAcceptable ? 'Good to go.' : [verdict().problem, ...verdict().suggestions].join(' ')}
          </p>
        )}
      </Show>
    </div>
  );
}
