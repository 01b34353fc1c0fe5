import { resolve } from 'node:path';
import { z } from 'zod';
import type { S3Settings } from './platform/blob-store/s3-blob-store.ts';

/**
 * The one place that reads `process.env`. Every setting has an embedded
 * default, so the server starts on a bare machine: PGlite under DATA_DIR and
 * an in-memory bus. Setting DATABASE_URL / REDIS_URL switches to the real
 * services.
 */
/** An http(s) address, kept without a trailing slash so paths can be appended. */
const ZHttpUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z.string().default('gc:'),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** Comma-separated origins allowed to open a WebSocket (browsers always send Origin). */
  ALLOWED_ORIGINS: z.string().default('http://localhost:5173,http://127.0.0.1:5173'),
  /** A WebSocket must present a valid access token within this time. */
  WEBSOCKET_AUTH_DEADLINE_MS: z.coerce.number().int().min(100).default(10_000),
  /** Bytes a WebSocket may have queued for sending before it is disconnected as too slow (it resumes later). */
  WEBSOCKET_SEND_BUFFER_LIMIT: z.coerce
    .number()
    .int()
    .min(16_384)
    .default(4 * 1024 * 1024),
  /** How long the event log keeps entries; a client offline for longer reloads instead of catching up. */
  EVENT_LOG_RETENTION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(168),
  /**
   * A connection counts as online this long after its last heartbeat (sent
   * every third of it): how long a crashed instance's users look online.
   */
  PRESENCE_TTL_MS: z.coerce.number().int().min(300).default(45_000),
  /** How long profiles and memberships stay cached (invalidated on every change anyway); 0 turns caching off. */
  CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  /** When set, `GET /metrics` wants `Authorization: Bearer <this>`; unset, it is open (keep it off the internet). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * How long receipts gather before they are written together: each
   * conversation gets at most one receipts event per window, which is what
   * keeps a busy group's receipts from multiplying its traffic.
   */
  RECEIPT_WINDOW_MS: z.coerce.number().int().min(1).max(5_000).default(250),
  /** Typing signals one person may send per 10 seconds. */
  TYPING_SIGNALS_PER_10S: z.coerce.number().int().min(1).default(20),
  /**
   * Messages one person may send at once, and per second on average after
   * that; per instance (see docs/security.md). Offline outboxes flush in a
   * burst, so the burst is generous.
   */
  SEND_BURST_PER_USER: z.coerce.number().int().min(1).default(30),
  SENDS_PER_SECOND_PER_USER: z.coerce.number().positive().default(2),
  /** Likewise for one conversation, all its members together. */
  SEND_BURST_PER_CONVERSATION: z.coerce.number().int().min(1).default(300),
  SENDS_PER_SECOND_PER_CONVERSATION: z.coerce.number().positive().default(30),
  /**
   * An instance whose send batch has been writing longer than this reports
   * not ready, so the balancer sends people elsewhere until it recovers.
   */
  SEND_STALL_READINESS_MS: z.coerce.number().int().min(100).default(5_000),
  /** Announcements one admin may post per hour (each reaches every account on the server). */
  ANNOUNCEMENTS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /**
   * An S3-compatible store for uploads (MinIO, R2, AWS S3). Unset, the
   * server starts a local one under DATA_DIR/blobs, on LOCAL_S3_PORT.
   */
  S3_ENDPOINT: ZHttpUrl.optional(),
  /** Where browsers reach the store when that differs from S3_ENDPOINT (e.g. inside compose). */
  S3_PUBLIC_ENDPOINT: ZHttpUrl.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().min(3).max(63).default('gopherchat-media'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Worker threads making thumbnails and clean copies of uploaded images. */
  MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  /** Whether the server reads linked pages to show preview cards ("false": never fetches a link). */
  LINK_PREVIEWS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * Private addresses previews may read after all (comma-separated, e.g. an
   * intranet's); every other loopback, private or link-local one is refused.
   */
  LINK_PREVIEW_ALLOW: z.string().default(''),
  /** Pages read at once for previews, per instance. */
  LINK_PREVIEW_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Storage each person may use for the files they share, in megabytes. */
  MEDIA_QUOTA_MB: z.coerce.number().int().min(1).default(1024),
  /** The embedded store's port on 127.0.0.1; 0 picks a free one. */
  LOCAL_S3_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  REQUEST_DEADLINE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Built web app to serve; unset means "apps/web/dist if it exists". */
  WEB_DIST_DIR: z.string().optional(),
  /** drizzle-kit migrations; unset means the repository's db/migrations. */
  MIGRATIONS_DIR: z.string().optional(),

  /** bcrypt cost; 12 in production, lower only to make tests fast. */
  PASSWORD_HASH_COST: z.coerce.number().int().min(4).max(16).default(12),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(900),
  /** A refresh token unused for this long expires. */
  REFRESH_TOKEN_IDLE_DAYS: z.coerce.number().positive().max(365).default(30),
  /** No sign-in lasts longer than this, however often it is refreshed. */
  SESSION_MAX_AGE_DAYS: z.coerce.number().positive().max(365).default(90),
  /** How long the immediately previous refresh token may be replayed (tabs racing, lost responses). */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(30),
  /** Ed25519 private key as a JWK (JSON) signing access tokens; unset means generated into DATA_DIR. */
  JWT_PRIVATE_JWK: z.string().optional(),
  /** >= 32 random bytes, base64url; keys refresh-token rotation. Unset means generated into DATA_DIR. */
  AUTH_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43,}$/, 'AUTH_SECRET must be at least 32 bytes, base64url-encoded')
    .optional(),
  AUTH_ISSUER: z.string().min(1).default('gopherchat'),
  /** Sign-in attempts per IP per 10 minutes, and failed attempts per account per 15 minutes. */
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** Accounts created per IP per hour. */
  REGISTER_LIMIT_PER_IP: z.coerce.number().int().min(1).default(10),

  /**
   * The address people reach the app at, e.g. https://chat.example.com; OAuth
   * redirect URIs are built from it. Unset means the address each request came to.
   */
  PUBLIC_URL: ZHttpUrl.optional(),
  /** "Sign in with GitHub" appears when both are set. */
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  /** GitHub Enterprise Server (or a stand-in): its web and API addresses. */
  GITHUB_URL: ZHttpUrl.default('https://github.com'),
  GITHUB_API_URL: ZHttpUrl.default('https://api.github.com'),
  /** "Sign in with Google" appears when both are set. */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /** The OpenID Connect issuer whose discovery document names Google's endpoints and keys. */
  GOOGLE_ISSUER: ZHttpUrl.default('https://accounts.google.com'),
});

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'postgres'; url: string; poolSize: number };

/** Where state shared between instances lives: this process, or Redis. */
export type SharedStateConfig = { kind: 'memory' } | { kind: 'redis'; url: string; keyPrefix: string };
export type BusConfig = SharedStateConfig;

/** Where uploads live: a store this server starts (embedded default), or a configured S3-compatible one. */
export type BlobStoreConfig =
  | { kind: 'local'; directory: string; port: number; bucket: string; allowedOrigins: string[] }
  | { kind: 's3'; settings: S3Settings };

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface OAuthConfig {
  publicUrl: string | undefined;
  github: (OAuthClientConfig & { webUrl: string; apiUrl: string }) | undefined;
  google: (OAuthClientConfig & { issuer: string }) | undefined;
}

export interface AuthConfig {
  passwordHashCost: number;
  accessTokenTtlMs: number;
  refreshTokenIdleMs: number;
  sessionMaxAgeMs: number;
  refreshReuseGraceMs: number;
  jwtPrivateJwk: string | undefined;
  secret: string | undefined;
  issuer: string;
  limits: { loginPerIp: number; loginFailuresPerAccount: number; registerPerIp: number };
  oauth: OAuthConfig;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  bus: BusConfig;
  /** Cache and rate-limit counters. */
  sharedState: SharedStateConfig;
  blobStore: BlobStoreConfig;
  media: { workers: number; quotaBytes: number };
  /** Undefined: previews are off. */
  linkPreviews: { allowedAddresses: string[]; concurrency: number } | undefined;
  auth: AuthConfig;
  allowedOrigins: string[];
  trustProxy: boolean;
  websocketAuthDeadlineMs: number;
  websocketSendBufferLimit: number;
  eventRetentionMs: number;
  presenceTtlMs: number;
  cacheTtlMs: number;
  metricsToken: string | undefined;
  typingSignalsPer10s: number;
  /** Token buckets for sends, per person and per conversation. */
  sendLimits: Record<'perUser' | 'perConversation', { burst: number; perSecond: number }>;
  sendStallReadinessMs: number;
  announcementsPerHour: number;
  receiptWindowMs: number;
  logLevel: z.infer<typeof ZEnv>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  /** A query or mutation not answered by then gets UNAVAILABLE (its work is not cancelled). */
  requestDeadlineMs: number;
  webDistDir: string | undefined;
  migrationsDir: string | undefined;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const env = parsed.data;
  const isS3Configured = Boolean(env.S3_ENDPOINT || env.S3_ACCESS_KEY_ID);
  if (isS3Configured && !(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Invalid configuration:\n  an S3 store needs both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  }
  for (const provider of ['GITHUB', 'GOOGLE'] as const) {
    if (!env[`${provider}_CLIENT_ID`] !== !env[`${provider}_CLIENT_SECRET`]) {
      throw new ConfigError(
        `Invalid configuration:\n  set both ${provider}_CLIENT_ID and ${provider}_CLIENT_SECRET, or neither`,
      );
    }
  }
  const dataDir = resolve(env.DATA_DIR);
  const allowedOrigins = env.ALLOWED_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const sharedState: SharedStateConfig = env.REDIS_URL
    ? { kind: 'redis', url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX }
    : { kind: 'memory' };
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') },
    bus: sharedState,
    sharedState,
    blobStore:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? {
            kind: 's3',
            settings: {
              endpoint: env.S3_ENDPOINT,
              publicEndpoint: env.S3_PUBLIC_ENDPOINT,
              region: env.S3_REGION,
              bucket: env.S3_BUCKET,
              accessKeyId: env.S3_ACCESS_KEY_ID,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY,
              forcePathStyle: env.S3_FORCE_PATH_STYLE,
            },
          }
        : {
            kind: 'local',
            directory: resolve(dataDir, 'blobs'),
            port: env.LOCAL_S3_PORT,
            bucket: env.S3_BUCKET,
            allowedOrigins,
          },
    media: { workers: env.MEDIA_WORKERS, quotaBytes: env.MEDIA_QUOTA_MB * 1024 * 1024 },
    linkPreviews: env.LINK_PREVIEWS
      ? {
          allowedAddresses: env.LINK_PREVIEW_ALLOW.split(',')
            .map((address) => address.trim())
            .filter(Boolean),
          concurrency: env.LINK_PREVIEW_CONCURRENCY,
        }
      : undefined,
    auth: {
      passwordHashCost: env.PASSWORD_HASH_COST,
      accessTokenTtlMs: env.ACCESS_TOKEN_TTL_SECONDS * 1000,
      refreshTokenIdleMs: env.REFRESH_TOKEN_IDLE_DAYS * DAY_MS,
      sessionMaxAgeMs: env.SESSION_MAX_AGE_DAYS * DAY_MS,
      refreshReuseGraceMs: env.REFRESH_REUSE_GRACE_SECONDS * 1000,
      jwtPrivateJwk: env.JWT_PRIVATE_JWK,
      secret: env.AUTH_SECRET,
      issuer: env.AUTH_ISSUER,
      limits: {
        loginPerIp: env.LOGIN_LIMIT_PER_IP,
        loginFailuresPerAccount: env.LOGIN_FAILURES_PER_ACCOUNT,
        registerPerIp: env.REGISTER_LIMIT_PER_IP,
      },
      oauth: {
        publicUrl: env.PUBLIC_URL,
        github:
          env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET
            ? {
                clientId: env.GITHUB_CLIENT_ID,
                clientSecret: env.GITHUB_CLIENT_SECRET,
                webUrl: env.GITHUB_URL,
                apiUrl: env.GITHUB_API_URL,
              }
            : undefined,
        google:
          env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET
            ? {
                clientId: env.GOOGLE_CLIENT_ID,
                clientSecret: env.GOOGLE_CLIENT_SECRET,
                issuer: env.GOOGLE_ISSUER,
              }
            : undefined,
      },
    },
    allowedOrigins,
    trustProxy: env.TRUST_PROXY,
    websocketAuthDeadlineMs: env.WEBSOCKET_AUTH_DEADLINE_MS,
    websocketSendBufferLimit: env.WEBSOCKET_SEND_BUFFER_LIMIT,
    eventRetentionMs: env.EVENT_LOG_RETENTION_HOURS * 60 * 60 * 1000,
    presenceTtlMs: env.PRESENCE_TTL_MS,
    cacheTtlMs: env.CACHE_TTL_MS,
    metricsToken: env.METRICS_TOKEN,
    typingSignalsPer10s: env.TYPING_SIGNALS_PER_10S,
    sendStallReadinessMs: env.SEND_STALL_READINESS_MS,
    sendLimits: {
      perUser: { burst: env.SEND_BURST_PER_USER, perSecond: env.SENDS_PER_SECOND_PER_USER },
      perConversation: { burst: env.SEND_BURST_PER_CONVERSATION, perSecond: env.SENDS_PER_SECOND_PER_CONVERSATION },
    },
    announcementsPerHour: env.ANNOUNCEMENTS_PER_HOUR,
    receiptWindowMs: env.RECEIPT_WINDOW_MS,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    requestDeadlineMs: env.REQUEST_DEADLINE_MS,
    webDistDir: env.WEB_DIST_DIR,
    migrationsDir: env.MIGRATIONS_DIR,
  };
}

/**
 * What the test suite needs from its environment: where the real services are
 * (admin URLs; each test file makes its own database / key prefix), the
 * browser for e2e tests, and how loud the servers under test may be.
 */
export function loadTestServices(source: Record<string, string | undefined> = process.env) {
  return {
    postgresAdminUrl: source.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: source.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    /** Debian's Chromium by default; never a downloaded browser. */
    chromiumPath: source.CHROMIUM_PATH ?? '/usr/bin/chromium',
    logLevel: source.TEST_LOG ?? 'silent',
    /** Handed to spawned server processes so they find `bun`. */
    path: source.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    home: source.HOME ?? '/root',
    /** The fuzz tests' seed (to replay a failure) and how many times their default work to do (before a release). */
    fuzzSeed: Number(source.FUZZ_SEED ?? 20261207),
    fuzzRounds: Math.max(1, Number(source.FUZZ_ROUNDS ?? 1) || 1),
  };
}
