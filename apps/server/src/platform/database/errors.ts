/** The error and the causes it wraps (drizzle wraps the driver's error), outermost first. */
function* causeChain(error: unknown): Generator<Record<string, unknown>> {
  for (
    let current: unknown = error;
    current && typeof current === 'object';
    current = (current as { cause?: unknown }).cause
  ) {
    yield current as Record<string, unknown>;
  }
}

/**
 * Whether PostgreSQL refused what a statement carried rather than failing to
 * run it: a data exception (class 22: a NUL byte, a number out of range), an
 * integrity violation (23) or a value over a limit (54). Running the same
 * statement again fails again; running it without the offending row may not.
 */
export function isRefusedData(error: unknown): boolean {
  for (const { code } of causeChain(error)) {
    if (typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/**
 * The constraint a unique violation (SQLSTATE 23505) broke, whatever the
 * driver (postgres.js or PGlite) and however drizzle wrapped it; undefined
 * for any other error.
 */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (const candidate of causeChain(error)) {
    if (candidate.code === '23505') {
      const name = candidate.constraint_name ?? candidate.constraint;
      return typeof name === 'string' ? name : 'unknown';
    }
  }
  return undefined;
}

/** A transaction was abandoned at its deadline: the database did not answer in time. */
export class DatabaseDeadlineError extends Error {
  override name = 'DatabaseDeadlineError';
  readonly code = 'DEADLINE_EXCEEDED';
  constructor(readonly deadlineMs: number) {
    super(`the database did not finish the transaction within ${deadlineMs} ms`);
  }
}

/**
 * postgres.js's codes for a connection it lost or could not open, ours for
 * a deadline, and the SQLSTATEs PostgreSQL sends as it drops a connection:
 * class 08 (connection exception) and 57P01–57P03 (shut down by an
 * administrator or a crash, cannot connect now).
 */
const UNAVAILABLE_CODES = new Set([
  'DEADLINE_EXCEEDED',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Whether `error` says the database could not be reached, dropped the
 * connection or did not answer in time, not that it refused a statement:
 * the work may be retried as is once it is back (a send carries client ids
 * that make the retry safe).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const { code } of causeChain(error)) {
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  }
  return false;
}
