/**
 * Waits until `predicate` holds, checking it again every few milliseconds;
 * fails with `what` after `timeoutMs`. It waits for a state, not for time:
 * the timeout only bounds how long a broken build hangs.
 */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(5);
  }
}
