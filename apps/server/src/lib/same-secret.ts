import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the expected one in time independent of where they differ. */
export function isSameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}
