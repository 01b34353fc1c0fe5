import type { Subprocess } from 'bun';
import { freePort } from './own-postgres.ts';

/**
 * A Redis server of a fault test's own, on a free port, that the test may
 * kill and start again (on the same port): never the shared one.
 */
export interface OwnRedis extends AsyncDisposable {
  url: string;
  /** Kills the server at once (SIGKILL): every connection drops, nothing is said. */
  stop(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP): connections stay open and new ones are
   * accepted by the kernel, but nothing is answered and no error is seen.
   */
  pause(): void;
  /** Lets a paused server run again (SIGCONT); it answers what it was sent meanwhile. */
  resume(): void;
}

async function launch(port: number): Promise<Subprocess<'ignore', 'pipe', 'inherit'>> {
  const child = Bun.spawn(
    ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdin: 'ignore', stdout: 'pipe', stderr: 'inherit' },
  );
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let output = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    output += decoder.decode(read.value, { stream: true });
    if (output.includes('Ready to accept connections')) {
      // Keep draining its output so that it never blocks on a full pipe.
      void (async () => {
        while (!(await reader.read()).done);
      })();
      return child;
    }
  }
  throw new Error(`redis-server on port ${port} exited before it was ready: ${output}`);
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = freePort();
  let child: Subprocess<'ignore', 'pipe', 'inherit'> | undefined = await launch(port);
  const running = () => {
    if (!child) throw new Error(`redis-server on port ${port} is stopped`);
    return child;
  };
  const stop = async () => {
    if (!child) return;
    child.kill('SIGKILL');
    await child.exited;
    child = undefined;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    async start() {
      child ??= await launch(port);
    },
    pause() {
      running().kill('SIGSTOP');
    },
    resume() {
      running().kill('SIGCONT');
    },
    [Symbol.asyncDispose]: stop,
  };
}
