import { afterEach } from 'bun:test';

/**
 * For a describe block: returns `setUp()`, which makes a fresh fixture for
 * the current test; whatever it made is disposed after that test.
 */
export function disposableFixture<T extends { dispose(): Promise<void> }>(make: () => Promise<T>): () => Promise<T> {
  let current: T | undefined;
  afterEach(async () => {
    await current?.dispose();
    current = undefined;
  });
  return async () => {
    current = await make();
    return current;
  };
}
