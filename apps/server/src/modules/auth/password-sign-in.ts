import type { TChangePasswordInput, TLoginInput, TRegisterInput } from '@gopherchat/api';
import { assessPassword } from '@gopherchat/api/password-policy';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../errors.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { violatedUniqueConstraint } from '../../platform/database/index.ts';
import type { RateLimiter } from '../../platform/rate-limit/index.ts';
import type { AccessClaims } from './access-tokens.ts';
import type { PasswordHasher } from './passwords.ts';
import type { AuthRepo, UserRow } from './repo.ts';
import type { IssuedSession, RequestMeta } from './sessions.ts';

/** The same words for "no such account" and "wrong password": they must not be told apart. */
const INVALID_LOGIN = 'That username or email and password do not match.';

/**
 * The failed-sign-in counter of an account: one for the account, however it
 * was named (username or email, in any case), shared with password changes.
 */
const accountLimitKey = (userId: string) => `account:${userId}`;

/**
 * The counter of a name that matches no account: by what was typed,
 * normalised, so unknown names are throttled as real ones are, with the same
 * words, without saying which exist.
 */
const unknownLoginLimitKey = (login: string) => `unknown:${login.trim().normalize('NFKC').toLowerCase()}`;

function rateLimited(retryAfterMs: number, what: string): AppError {
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return new AppError('RATE_LIMITED', `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
}

/** Accounts with a password: signing up, signing in, changing the password. */
export function createPasswordSignIn(deps: {
  repo: AuthRepo;
  passwords: PasswordHasher;
  clock: Clock;
  limits: { loginByIp: RateLimiter; loginByAccount: RateLimiter; registerByIp: RateLimiter };
  startSession: (user: UserRow, meta: RequestMeta) => Promise<IssuedSession>;
  announceRevoked: (sessionIds: string[]) => Promise<void>;
  logger: Logger;
}) {
  const { repo, passwords, clock, limits, startSession, announceRevoked, logger } = deps;
  const now = () => new Date(clock.now());

  function requireAcceptablePassword(password: string, relatedInputs: string[]) {
    const verdict = assessPassword(password, relatedInputs);
    if (!verdict.isAcceptable) {
      throw new AppError('INVALID_INPUT', [verdict.problem, ...verdict.suggestions].join(' '));
    }
  }

  return {
    async register(input: TRegisterInput, meta: RequestMeta): Promise<IssuedSession> {
      const decision = await limits.registerByIp.consume(meta.ip ?? 'unknown');
      if (!decision.isAllowed) throw rateLimited(decision.retryAfterMs, 'sign-ups from your network');
      const displayName = input.displayName ?? input.username;
      requireAcceptablePassword(input.password, [input.username, input.email, displayName]);
      const passwordHash = await passwords.hash(input.password);
      const at = now();
      let user: UserRow;
      try {
        user = await repo.createUserWithPassword(
          { id: uuidv7(), username: input.username, email: input.email, displayName, createdAt: at, updatedAt: at },
          passwordHash,
          uuidv7(),
        );
      } catch (error) {
        const constraint = violatedUniqueConstraint(error);
        if (constraint === 'users_username_lower_key') {
          throw new AppError('CONFLICT', 'That username is taken. Try another one.', { cause: error });
        }
        if (constraint === 'users_email_lower_key') {
          throw new AppError('CONFLICT', 'An account with that email already exists. Sign in instead.', {
            cause: error,
          });
        }
        throw error;
      }
      logger.info({ userId: user.id }, 'account created');
      return startSession(user, meta);
    },

    async login(input: TLoginInput, meta: RequestMeta): Promise<IssuedSession> {
      const byIp = await limits.loginByIp.consume(meta.ip ?? 'unknown');
      if (!byIp.isAllowed) throw rateLimited(byIp.retryAfterMs, 'sign-in attempts from your network');
      const found = await repo.findUserForLogin(input.login);
      const accountKey = found ? accountLimitKey(found.user.id) : unknownLoginLimitKey(input.login);
      const byAccount = await limits.loginByAccount.consume(accountKey);
      if (!byAccount.isAllowed) throw rateLimited(byAccount.retryAfterMs, 'sign-in attempts for this account');

      const isValid = found?.passwordHash
        ? await passwords.verify(input.password, found.passwordHash)
        : await passwords.verifyNothing(input.password);
      if (!found || !isValid) throw new AppError('UNAUTHENTICATED', INVALID_LOGIN);
      await limits.loginByAccount.reset(accountKey);
      return startSession(found.user, meta);
    },

    /** Changes the password and signs every other session out. */
    async changePassword(claims: AccessClaims, input: TChangePasswordInput): Promise<void> {
      const user = await repo.findUserById(claims.userId);
      const currentHash = await repo.findPasswordHash(claims.userId);
      if (!user || !currentHash) throw new AppError('FORBIDDEN', 'This account has no password to change.');
      const attempt = await limits.loginByAccount.consume(accountLimitKey(user.id));
      if (!attempt.isAllowed) throw rateLimited(attempt.retryAfterMs, 'attempts for this account');
      if (!(await passwords.verify(input.currentPassword, currentHash))) {
        throw new AppError('FORBIDDEN', 'Your current password is not correct.');
      }
      requireAcceptablePassword(input.newPassword, [user.username, user.email, user.displayName]);
      await repo.updatePasswordHash(user.id, await passwords.hash(input.newPassword), now());
      await announceRevoked(await repo.revokeFamiliesOfUser(user.id, 'password changed', now(), claims.sessionId));
    },
  };
}
