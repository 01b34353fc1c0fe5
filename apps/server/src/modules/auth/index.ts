export { type AccessClaims, createAccessTokens, type VerifiedAccess } from './access-tokens.ts';
export { loadAuthKeys } from './keys.ts';
export { createPasswordHasher } from './passwords.ts';
export { createAuthRepo } from './repo.ts';
export { authRouter } from './router.ts';
export { createAuthRoutes } from './routes.ts';
export { type AuthService, createAuthService, type RequestMeta, SESSION_REVOKED_TOPIC } from './service.ts';
