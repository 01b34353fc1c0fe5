/** The p-th percentile of an ascending array (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Two decimals: enough for milliseconds, short enough to read. */
export const round = (value: number) => Math.round(value * 100) / 100;
