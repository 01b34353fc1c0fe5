import type { ServerRole } from '@gopherchat/api';
import { ConfigError, loadConfig } from './env.ts';
import { createRoleRepo } from './modules/auth/index.ts';
import { DataDirInUseError, openDatabase, resolveMigrationsDir } from './platform/database/index.ts';

const USAGE = `Usage: bun run admin -- <command>

  grant <username>    make the account a server admin (may post announcements)
  revoke <username>   make the account a member again
  list                list the server admins

Works on DATABASE_URL, or else on the embedded database in DATA_DIR (stop the
server first: an embedded database is open in one process at a time).
Changes apply to the account's next request; nobody needs to sign in again.`;

type Command = { kind: 'set-role'; username: string; role: ServerRole } | { kind: 'list' };

/** Thrown for a command line that is not one of USAGE's: the usage is printed, exit code 2. */
class UsageError extends Error {
  override name = 'UsageError';
}

function parseCommand(args: readonly string[]): Command {
  const [verb, username, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`Unexpected arguments: ${rest.join(' ')}`);
  switch (verb) {
    case 'grant':
    case 'revoke':
      if (!username) throw new UsageError(`Say whose role to change: ${verb} <username>`);
      return { kind: 'set-role', username, role: verb === 'grant' ? 'admin' : 'member' };
    case 'list':
      if (username) throw new UsageError(`Unexpected arguments: ${username}`);
      return { kind: 'list' };
    default:
      throw new UsageError(verb ? `Unknown command: ${verb}` : 'Give a command.');
  }
}

/** Runs `command`; returns the lines to print and the exit code. */
async function run(command: Command): Promise<{ lines: string[]; exitCode: number }> {
  const config = loadConfig();
  const database = await openDatabase(config.database, await resolveMigrationsDir(config.migrationsDir));
  try {
    // As the server does at startup: the role column must exist before it is read.
    await database.migrate();
    const roles = createRoleRepo(database.db);
    switch (command.kind) {
      case 'list': {
        const admins = await roles.listAdmins();
        if (admins.length === 0) return { lines: ['This server has no admin.'], exitCode: 0 };
        return { lines: admins.map((admin) => `${admin.username} <${admin.email}>`), exitCode: 0 };
      }
      case 'set-role': {
        const change = await roles.setRole(command.username, command.role);
        if (!change) return { lines: [`No account is named "${command.username}".`], exitCode: 1 };
        const { username } = change.user;
        const isAdmin = command.role === 'admin';
        if (change.previous === command.role) {
          return { lines: [`${username} ${isAdmin ? 'was already' : 'was not'} an admin.`], exitCode: 0 };
        }
        const lines = [
          `${username} ${isAdmin ? 'is now an admin' : 'is no longer an admin'}, from their next request.`,
        ];
        if (!isAdmin && (await roles.listAdmins()).length === 0) {
          lines.push('This server has no admin left: nobody can post announcements until you grant someone.');
        }
        return { lines, exitCode: 0 };
      }
      default:
        return command satisfies never;
    }
  } finally {
    await database.close();
  }
}

/** Exits 0 when done, 1 when it could not be (no such account, database in use), 2 for a wrong command line. */
async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(Bun.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const { lines, exitCode } = await run(command);
  (exitCode === 0 ? process.stdout : process.stderr).write(`${lines.join('\n')}\n`);
  return exitCode;
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof DataDirInUseError) {
      console.error(`${error.message}\nStop the server before changing roles on its embedded database.`);
    } else {
      console.error(error instanceof ConfigError ? error.message : error);
    }
    process.exit(1);
  },
);
