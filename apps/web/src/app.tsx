import { AnnouncementsPanel } from './features/announcements/announcements-panel.tsx';
import { ServerStatus } from './features/system/server-status.tsx';
import { connectionState } from './lib/client.ts';

function ConnectionIndicator() {
  const label = () => (connectionState() === 'connecting' ? 'Connecting…' : 'Connected');
  return (
    <span class="text-xs text-slate-500 dark:text-slate-400" role="status" data-testid="connection-state">
      {connectionState() === 'idle' ? '' : label()}
    </span>
  );
}

export function App() {
  return (
    <div class="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-10">
      <header class="mb-8 flex items-center justify-between">
        <div class="flex items-center gap-3">
          <div class="h-10 w-10 flex items-center justify-center rounded-2xl bg-accent text-lg font-bold text-white shadow-sm">
            G
          </div>
          <div>
            <h1 class="text-xl font-semibold tracking-tight">GopherChat</h1>
            <p class="text-sm text-slate-500 dark:text-slate-400">Self-hosted, real-time chat</p>
          </div>
        </div>
        <ConnectionIndicator />
      </header>
      <main class="grid gap-6 md:grid-cols-[280px_1fr]">
        <ServerStatus />
        <AnnouncementsPanel />
      </main>
    </div>
  );
}
