import type { SystemInfo } from '@gopherchat/api';
import type { Bus } from '../../platform/bus/index.ts';
import type { DatabaseHandle } from '../../platform/database/index.ts';

export interface ReadinessReport {
  /** Whether to route traffic here: the database answers. */
  isReady: boolean;
  /**
   * Ready, but slower or less live than it should be: Redis is unreachable,
   * so this instance delivers locally and polls the log for the others'
   * events. Not a reason to take it out of the balancer: every instance
   * shares the outage, and out of the balancer nobody could chat at all.
   */
  isDegraded: boolean;
  checks: Record<'database' | 'sends' | 'bus', { ok: boolean; error?: string }>;
}

/** A dependency that hangs is as unready as one that fails, and must not hang the probe. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function createSystemService(deps: {
  database: DatabaseHandle;
  /**
   * The send path, which a trivial query does not exercise: after a
   * PostgreSQL restart one send batch could hang for good on its
   * connection while pings still answered, and sends queued behind it.
   */
  sends: { stalledForMs(): number; maxStallMs: number };
  bus: Bus;
  busKind: SystemInfo['bus'];
  version: string;
  instanceId: string;
  startedAt: Date;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return {
    describe(): SystemInfo {
      return {
        name: 'GopherChat',
        version: deps.version,
        instanceId: deps.instanceId,
        database: deps.database.kind,
        bus: deps.busKind,
        startedAt: deps.startedAt.toISOString(),
        uptimeSeconds: Math.floor((now().getTime() - deps.startedAt.getTime()) / 1000),
      };
    },

    async checkReadiness(): Promise<ReadinessReport> {
      const [database, bus] = await Promise.all([check(() => deps.database.ping()), check(() => deps.bus.ping())]);
      const stalledForMs = deps.sends.stalledForMs();
      const sends =
        stalledForMs > deps.sends.maxStallMs
          ? { ok: false, error: `a send batch has been writing for ${Math.round(stalledForMs)} ms` }
          : { ok: true };
      return { isReady: database.ok && sends.ok, isDegraded: !bus.ok, checks: { database, sends, bus } };
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
