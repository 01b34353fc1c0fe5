/**
 * bcrypt through Bun.password, which hashes on a worker thread: the event loop
 * keeps serving while a hash is computed. Passwords longer than bcrypt's 72
 * bytes are pre-hashed by Bun (SHA-512), so two passwords that share their
 * first 72 bytes still differ (a test pins this).
 */
export function createPasswordHasher(options: { cost: number }) {
  let dummyHash: Promise<string> | undefined;

  const hash = (password: string) => Bun.password.hash(password, { algorithm: 'bcrypt', cost: options.cost });

  return {
    hash,
    verify: (password: string, passwordHash: string) => Bun.password.verify(password, passwordHash, 'bcrypt'),
    /**
     * Spends the same time as a real verification, for sign-in attempts on
     * accounts that do not exist: response time must not tell them apart.
     */
    async verifyNothing(password: string): Promise<false> {
      dummyHash ??= hash(crypto.randomUUID());
      await Bun.password.verify(password, await dummyHash, 'bcrypt');
      return false;
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
