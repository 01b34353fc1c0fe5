/**
 * Reconnect delay: exponential from `baseMs`, capped at `capMs`, with "equal
 * jitter" (half fixed, half random) so that clients dropped together by a
 * restart do not all come back in the same instant.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs?: number; capMs?: number; random?: () => number } = {},
) {
  const { baseMs = 500, capMs = 30_000, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
