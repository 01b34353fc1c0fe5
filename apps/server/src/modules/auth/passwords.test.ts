import { afterEach, describe, expect, it } from 'bun:test';
import { createPasswordHasher } from './passwords.ts';

const verifyInBun = Bun.password.verify;
/** The bcrypt hashes Bun was asked to verify against, in order. */
let verifiedAgainst: string[] = [];
const writablePassword = Bun.password as { verify: typeof verifyInBun };

afterEach(() => {
  writablePassword.verify = verifyInBun;
});

function recordVerifications() {
  verifiedAgainst = [];
  writablePassword.verify = ((password: string, hash: string, algorithm?: 'bcrypt') => {
    verifiedAgainst.push(hash);
    return verifyInBun(password, hash, algorithm);
  }) as typeof verifyInBun;
}

/** `$2b$05$…` → 5: the work factor is written into the hash. */
const costOf = (hash: string) => Number(hash.split('$')[2]);

describe('password hasher', () => {
  it('spends on an account that does not exist the same bcrypt verification as on one that does (timing must not tell them apart)', async () => {
    const hasher = createPasswordHasher({ cost: 5 });
    const stored = await hasher.hash('velvet-harbor-quartz-71');
    recordVerifications();
    expect(await hasher.verify('not-the-password-123', stored)).toBe(false);
    expect(await hasher.verifyNothing('not-the-password-123')).toBe(false);
    expect(verifiedAgainst.map(costOf)).toEqual([5, 5]);
  });
});
