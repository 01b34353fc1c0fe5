import { toAppError } from '@gopherchat/sdk';
import { createResource, Match, Switch } from 'solid-js';
import { gopher } from '../../lib/session.ts';

const BACKEND_LABEL = {
  pglite: 'Embedded PostgreSQL (PGlite)',
  postgres: 'PostgreSQL',
  memory: 'In-process bus',
  redis: 'Redis pub/sub',
} as const;

function Row(props: { label: string; value: string; testId: string }) {
  return (
    <div class="flex items-baseline justify-between gap-4 py-1.5">
      <dt class="text-sm text-fg-muted">{props.label}</dt>
      <dd class="text-right text-sm font-medium" data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}

export function ServerStatus() {
  const [info, { refetch }] = createResource(() => gopher.api.system.info.query());

  return (
    <section class="card self-start" aria-labelledby="server-title">
      <h2 id="server-title" class="card-title mb-3">
        Server
      </h2>
      <Switch>
        <Match when={info.error}>
          <div role="alert" class="flex flex-col gap-3">
            <p class="text-sm text-danger">{toAppError(info.error).userMessage}</p>
            <button type="button" class="btn border border-line-strong" onClick={() => refetch()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={info()}>
          {(server) => (
            <dl class="divide-y divide-line">
              <Row label="Version" value={server().version} testId="server-version" />
              <Row label="Database" value={BACKEND_LABEL[server().database]} testId="server-database" />
              <Row label="Event bus" value={BACKEND_LABEL[server().bus]} testId="server-bus" />
              <Row label="Instance" value={server().instanceId} testId="server-instance" />
            </dl>
          )}
        </Match>
        <Match when={info.loading}>
          <p class="text-sm text-fg-muted">Asking the server…</p>
        </Match>
      </Switch>
    </section>
  );
}
