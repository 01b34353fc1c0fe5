import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * haproxy on loopback in front of the instances, configured as
 * infra/DEPLOY.md tells operators to: least connections, routing only to
 * instances whose `/readyz` answers 200, WebSockets passed through as
 * tunnels.
 */
export interface Balancer extends AsyncDisposable {
  url: URL;
  /** Open sessions (WebSockets included) per instance, from haproxy's stats socket. */
  sessionsPerInstance(): Promise<number[]>;
}

export async function startBalancer(options: { port: number; backendPorts: number[] }): Promise<Balancer> {
  const dir = mkdtempSync(join(tmpdir(), 'gopherchat-chaos-haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  const statsSocket = join(dir, 'stats.sock');
  writeFileSync(
    config,
    `global
  maxconn 4096
  stats socket ${statsSocket}

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option redispatch
  retries 2

frontend chat
  bind 127.0.0.1:${options.port}
  default_backend instances

backend instances
  balance leastconn
  option httpchk GET /readyz
  http-check expect status 200
  default-server inter 500ms fall 2 rise 2
${options.backendPorts.map((port, index) => `  server instance${index} 127.0.0.1:${port} check`).join('\n')}
`,
  );
  const child = Bun.spawn(['haproxy', '-f', config, '-db'], { stdout: 'pipe', stderr: 'pipe' });
  const url = new URL(`http://127.0.0.1:${options.port}`);
  // Listening once a request gets any answer (503 while no instance is ready yet).
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`haproxy exited (${child.exitCode}): ${await new Response(child.stderr).text()}`);
    }
    const answered = await fetch(new URL('/healthz', url)).then(
      () => true,
      () => false,
    );
    if (answered) break;
    await Bun.sleep(50);
  }
  return {
    url,
    async sessionsPerInstance() {
      const csv = await askStats(statsSocket, 'show stat');
      // CSV: pxname, svname, qcur, qmax, scur, …
      return csv
        .split('\n')
        .map((line) => line.split(','))
        .filter(([proxy, server]) => proxy === 'instances' && server?.startsWith('instance'))
        .map((fields) => Number(fields[4]));
    },
    async [Symbol.asyncDispose]() {
      child.kill('SIGKILL');
      await child.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One command on haproxy's stats socket; it answers and closes. */
async function askStats(path: string, command: string): Promise<string> {
  const decoder = new TextDecoder();
  let answer = '';
  const closed = Promise.withResolvers<void>();
  const socket = await Bun.connect({
    unix: path,
    socket: {
      data(_socket, chunk) {
        answer += decoder.decode(chunk, { stream: true });
      },
      close() {
        closed.resolve();
      },
      error(_socket, error) {
        closed.reject(error);
      },
    },
  });
  socket.write(`${command}\n`);
  await closed.promise;
  return answer;
}
