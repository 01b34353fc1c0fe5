/**
 * A deadline to race work against: `race(work)` rejects with `expire()`'s
 * error once `ms` have passed, unless `work` settled first. `clear()` it when
 * done, so no timer outlives the work.
 */
export function startDeadline(ms: number, expire: () => Error) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expire()), ms);
  });
  // Nobody may be racing it when it fires.
  expired.catch(() => {});
  return {
    race: <T>(work: Promise<T>) => Promise.race([work, expired]),
    clear: () => clearTimeout(timer),
  };
}
