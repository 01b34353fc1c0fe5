import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * A PostgreSQL cluster of a fault test's own, on a free port: tests that
 * restart, stop or pause the database must never touch the shared one.
 * Needs the server binaries (Debian's postgresql package) and, when run as
 * root, the `postgres` system user, as on every developer and CI machine.
 */
export interface OwnPostgres extends AsyncDisposable {
  /** `postgres://…` of its `postgres` database. */
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is back when this resolves. */
  restart(): Promise<void>;
  /** Every process of the cluster stops running (SIGSTOP): connections stay open and nothing answers. */
  pause(): void;
  resume(): void;
}

const BIN_ROOT = '/usr/lib/postgresql';

function binDir(): string {
  const version = readdirSync(BIN_ROOT).sort().at(-1);
  if (!version) throw new Error(`no PostgreSQL server under ${BIN_ROOT}`);
  return join(BIN_ROOT, version, 'bin');
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const { port } = probe;
  probe.stop(true);
  return port;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const root = mkdtempSync(join(tmpdir(), 'gopherchat-pg-'));
  const dataDir = join(root, 'data');
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const owner = Bun.spawnSync(['id', '-u', 'postgres']).stdout.toString().trim();
    const group = Bun.spawnSync(['id', '-g', 'postgres']).stdout.toString().trim();
    chownSync(root, Number(owner), Number(group));
    chmodSync(root, 0o700);
  }
  const asPostgres = (command: string[]) => (isRoot ? ['runuser', '-u', 'postgres', '--', ...command] : command);
  /** Runs a server binary as the `postgres` user (initdb and postgres refuse to run as root). */
  const run = (command: string[]) => {
    const result = Bun.spawnSync(asPostgres(command), { stdout: 'pipe', stderr: 'pipe' });
    if (result.exitCode !== 0) {
      throw new Error(`${command.join(' ')} failed: ${result.stderr.toString()} ${result.stdout.toString()}`);
    }
  };
  /** `run` without blocking the event loop, so clients see the connections drop while it happens. */
  const runAsync = async (command: string[]) => {
    const child = Bun.spawn(asPostgres(command), { stdout: 'pipe', stderr: 'pipe' });
    if ((await child.exited) !== 0) {
      const [stdout, stderr] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      throw new Error(`${command.join(' ')} failed: ${stderr} ${stdout}`);
    }
  };
  const port = freePort();
  const pgCtlCommand = (...args: string[]) => [
    join(bin, 'pg_ctl'),
    '-D',
    dataDir,
    '-w',
    '-l',
    join(root, 'log'),
    '-o',
    `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`,
    ...args,
  ];
  const pgCtl = (...args: string[]) => run(pgCtlCommand(...args));
  run([join(bin, 'initdb'), '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  pgCtl('start');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  /** The postmaster's and its children's pids, read fresh: a restart makes new ones. */
  const pids = () => {
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = Bun.spawnSync(['pgrep', '-P', String(postmaster)])
      .stdout.toString()
      .trim()
      .split(/\s+/);
    return [postmaster, ...children.filter(Boolean).map(Number)];
  };
  const signalAll = (signal: NodeJS.Signals) => {
    for (const pid of pids()) process.kill(pid, signal);
  };

  let isPaused = false;
  return {
    url,
    port,
    async restart() {
      await runAsync(pgCtlCommand('restart', '-m', 'fast'));
    },
    pause() {
      signalAll('SIGSTOP');
      isPaused = true;
    },
    resume() {
      signalAll('SIGCONT');
      isPaused = false;
    },
    async [Symbol.asyncDispose]() {
      if (isPaused) signalAll('SIGCONT');
      try {
        pgCtl('stop', '-m', 'immediate');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh database on `cluster`, for one server under test. */
export async function createDatabaseOn(cluster: OwnPostgres, name: string): Promise<string> {
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}
