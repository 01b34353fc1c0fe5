export { type AccessClaims, createAccessTokens, type VerifiedAccess } from './access-tokens.ts';
export { loadAuthKeys } from './keys.ts';
export { configuredOAuthProviders } from './oauth-providers.ts';
export { createOAuthRoutes } from './oauth-routes.ts';
export { createPasswordHasher } from './passwords.ts';
export { createAuthRepo } from './repo.ts';
export { createRoleRepo } from './roles.ts';
export { createAuthRoutes } from './routes.ts';
export { type AuthService, createAuthService, type RequestMeta } from './service.ts';
