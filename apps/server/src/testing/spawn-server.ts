import { resolve } from 'node:path';
import type { Subprocess } from 'bun';
import { loadTestServices } from '../env.ts';
import { GENEROUS_SEND_LIMITS } from './accounts.ts';

const MAIN = resolve(import.meta.dir, '../main.ts');

export interface SpawnedServer extends AsyncDisposable {
  process: Subprocess<'ignore', 'pipe', 'pipe'>;
  /** Set once the server logged that it listens. */
  url: URL;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  /** Everything written to stderr so far. */
  stderr(): string;
  waitForLog(message: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number>;
}

/**
 * Runs the server (`bun src/main.ts` by default) as a real separate process (signals, exit codes and
 * all) and waits until it listens. The environment is exactly `env` plus
 * PATH, so nothing leaks in from the developer's shell.
 */
export async function spawnServer(
  env: Record<string, string>,
  options: {
    waitForListening?: boolean;
    /** Runs this instead of `bun src/main.ts`, e.g. the compiled binary. */
    command?: string[];
  } = {},
) {
  const child = Bun.spawn(options.command ?? ['bun', MAIN], {
    env: {
      PATH: loadTestServices().path,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      PASSWORD_HASH_COST: '4',
      ...GENEROUS_SEND_LIMITS,
      // As the image and `bun run start` run it (see infra/Dockerfile).
      MIMALLOC_PURGE_DELAY: '1000',
      ...env,
    },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderrText = '';
  const readLines = async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of child.stdout) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not a log line
        }
        newline = buffered.indexOf('\n');
      }
    }
  };
  const readStderr = async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stderr) stderrText += decoder.decode(chunk, { stream: true });
  };
  void readLines();
  void readStderr();

  // Generous: a fresh PGlite data directory runs initdb, slow on a busy 2-core machine.
  const waitForLog = async (message: string, timeoutMs = 45_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = logs.find((line) => line.msg === message);
      if (found) return found;
      if (child.exitCode !== null)
        throw new Error(`server exited (${child.exitCode}) before logging "${message}": ${stderrText}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for log "${message}"`);
      await Bun.sleep(20);
    }
  };

  const server: SpawnedServer = {
    process: child,
    url: new URL('http://127.0.0.1'),
    logs,
    stderr: () => stderrText,
    waitForLog,
    exited: child.exited,
    [Symbol.asyncDispose]: async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await child.exited;
      }
    },
  };
  if (options.waitForListening ?? true) {
    const listening = await waitForLog('GopherChat server listening');
    server.url = new URL(String(listening.url));
  }
  return server;
}
