import { resolve } from 'node:path';
import type { Logger } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { embeddedFiles } from './embedded.ts';
import type { Config } from './env.ts';
import { AppError } from './errors.ts';
import { createHttpApp, type WebFiles } from './http.ts';
import { schedulePruning } from './lib/periodic-pruning.ts';
import { createTokenBuckets } from './lib/token-buckets.ts';
import { createWorkerPool } from './lib/worker-pool.ts';
import { createLifecycle } from './lifecycle.ts';
import {
  createAnnouncementFeed,
  createAnnouncementRepo,
  createAnnouncementService,
} from './modules/announcements/index.ts';
import {
  createAttachmentService,
  imageWorkerUrl,
  type ProcessedImage,
  type ProcessImageInput,
} from './modules/attachments/index.ts';
import {
  configuredOAuthProviders,
  createAccessTokens,
  createAuthRepo,
  createAuthRoutes,
  createAuthService,
  createOAuthRoutes,
  createPasswordHasher,
  createRoleRepo,
  loadAuthKeys,
  SESSION_REVOKED_TOPIC,
  type VerifiedAccess,
} from './modules/auth/index.ts';
import { createConversationService, createEventHub, createEventLog } from './modules/conversations/index.ts';
import { createPresenceService } from './modules/presence/index.ts';
import { createSystemService } from './modules/system/index.ts';
import { createProfileDirectory, createUserRepo, createUserService } from './modules/users/index.ts';
import { clientIpOf, isAllowedOrigin, isLoopbackHost, isPlainHttpLoopback } from './origin.ts';
import { openBlobStore } from './platform/blob-store/index.ts';
import { createBus } from './platform/bus/index.ts';
import { type Scheduler, systemClock } from './platform/clock/index.ts';
import { openDatabase, resolveMigrationsDir } from './platform/database/index.ts';
import { createMetrics } from './platform/metrics/index.ts';
import { openSharedState } from './platform/shared-state.ts';
import { createSecurityHeaders, storeOriginsOf } from './security-headers.ts';
import type { Caller, Context, Services } from './trpc/context.ts';
import { appRouter } from './trpc/router.ts';
import { createTrpcWebSocketTransport, type SocketControl } from './trpc/websocket.ts';

/** The token of an `Authorization: Bearer …` header. */
function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer ([\w.~+/-]+=*)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** An explicit WEB_DIST_DIR wins; else what the binary embeds; else the repository's build. */
function webFilesFor(config: Config): WebFiles {
  if (config.webDistDir) return { kind: 'dir', dir: config.webDistDir };
  const { web } = embeddedFiles();
  if (web.size > 0) return { kind: 'embedded', files: web };
  return { kind: 'dir', dir: resolve(import.meta.dir, '../../web/dist') };
}

/**
 * The composition root: picks an implementation for every port from the
 * config, wires the modules, and returns what the process serves.
 */
const HOUR_MS = 60 * 60 * 1000;

/** What the process gives the app besides its config. */
export interface AppDeps {
  logger: Logger;
  /** Every expiry, deadline and timestamp reads it; tests pass a manual clock. The system clock by default. */
  clock?: Scheduler;
}

export async function createApp(config: Config, deps: AppDeps) {
  const { logger, clock = systemClock } = deps;
  const instanceId = crypto.randomUUID().slice(0, 8);
  const database = await openDatabase(config.database, await resolveMigrationsDir(config.migrationsDir));
  await database.migrate();
  const bus = createBus(config.bus, logger);
  const lifecycle = createLifecycle();
  const metrics = createMetrics();
  const sharedState = openSharedState(config.sharedState, clock, logger, { presenceTtlMs: config.presenceTtlMs });

  const authKeys = await loadAuthKeys(config.auth, config.dataDir, logger);
  const limitsFor = sharedState.rateLimiters;
  const auth = createAuthService({
    repo: createAuthRepo(database.db),
    passwords: createPasswordHasher({ cost: config.auth.passwordHashCost }),
    accessTokens: createAccessTokens({
      keys: authKeys,
      issuer: config.auth.issuer,
      ttlMs: config.auth.accessTokenTtlMs,
      clock,
    }),
    keys: authKeys,
    cache: sharedState.cache,
    bus,
    clock,
    limits: {
      loginByIp: limitsFor({ name: 'login-ip', points: config.auth.limits.loginPerIp, windowSeconds: 600 }),
      loginByAccount: limitsFor({
        name: 'login-account',
        points: config.auth.limits.loginFailuresPerAccount,
        windowSeconds: 900,
        blockSeconds: 900,
      }),
      registerByIp: limitsFor({ name: 'register-ip', points: config.auth.limits.registerPerIp, windowSeconds: 3600 }),
    },
    providers: configuredOAuthProviders(config.auth.oauth),
    config: config.auth,
    logger,
  });

  const eventLog = createEventLog({ database, bus, clock, logger });
  const eventHub = createEventHub({ log: eventLog, bus, logger });
  await eventHub.start();

  const blobStore = await openBlobStore(config.blobStore);
  const imageWorkers = createWorkerPool<ProcessImageInput, ProcessedImage>({
    workerUrl: imageWorkerUrl,
    size: config.media.workers,
  });
  const attachments = createAttachmentService({
    db: database.db,
    store: blobStore.store,
    images: imageWorkers,
    quotaBytes: config.media.quotaBytes,
    signal: (signal) => eventHub.signal(signal),
    clock,
    logger,
  });

  const userRepo = createUserRepo(database.db);
  const profiles = createProfileDirectory({
    repo: userRepo,
    cache: sharedState.cache,
    ttlMs: config.cacheTtlMs,
    metrics,
    logger,
  });
  const conversations = createConversationService({
    db: database.db,
    log: eventLog,
    hub: eventHub,
    clock,
    logger,
    eventRetentionMs: config.eventRetentionMs,
    typingLimit: limitsFor({ name: 'typing', points: config.typingSignalsPer10s, windowSeconds: 10 }),
    sendLimits: {
      perSender: createTokenBuckets({ ...config.sendLimits.perUser, clock }),
      perConversation: createTokenBuckets({ ...config.sendLimits.perConversation, clock }),
    },
    cache: sharedState.cache,
    cacheTtlMs: config.cacheTtlMs,
    receiptWindowMs: config.receiptWindowMs,
    metrics,
    profiles,
    attachments,
    onJoined: (conversationId, userIds) => presence.introduce(conversationId, userIds),
  });
  const presence = createPresenceService({
    presence: sharedState.presence,
    signal: (signal) => eventHub.signal(signal),
    directory: conversations,
    heartbeatEveryMs: Math.floor(config.presenceTtlMs / 3),
    now: () => clock.now(),
    logger,
    bus,
  });

  const services: Services = {
    announcements: createAnnouncementService({
      feed: createAnnouncementFeed({ repo: createAnnouncementRepo(database.db), bus, logger }),
      roles: createRoleRepo(database.db),
      postLimit: limitsFor({ name: 'announce', points: config.announcementsPerHour, windowSeconds: 3600 }),
      logger,
    }),
    attachments,
    auth,
    conversations,
    presence,
    system: createSystemService({
      database,
      sends: { stalledForMs: () => conversations.sendsStalledForMs(), maxStallMs: config.sendStallReadinessMs },
      bus,
      busKind: config.bus.kind,
      version: packageJson.version,
      instanceId,
      startedAt: new Date(),
    }),
    users: createUserService({
      repo: userRepo,
      profiles,
      conversationIdsOf: (userId) => conversations.conversationIdsOf(userId),
      signal: (signal) => eventHub.signal(signal),
      clock,
    }),
  };

  /** Verifies presented credentials once per request (HTTP) or connection (WebSocket). */
  async function contextFor(input: {
    requestId: string;
    caller: Caller;
    accessToken: string | null;
    resHeaders: Headers | null;
    socket: SocketControl | null;
  }): Promise<Context> {
    let claims: VerifiedAccess | null = null;
    let authError: AppError | null = null;
    if (input.accessToken) {
      try {
        claims = await auth.authenticate(input.accessToken);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        authError = error;
      }
    }
    return {
      requestId: input.requestId,
      logger: logger.child({ requestId: input.requestId, userId: claims?.userId }),
      services,
      lifecycle,
      requestDeadlineMs: config.requestDeadlineMs,
      caller: input.caller,
      auth: claims,
      authError,
      resHeaders: input.resHeaders,
      socket: input.socket,
    };
  }

  const allowedOrigins = new Set(config.allowedOrigins);
  const clientIp = (request: Request) => clientIpOf(request, config.trustProxy);
  const callerOf = (request: Request): Caller => ({
    ip: clientIp(request),
    userAgent: request.headers.get('user-agent'),
    isSameOrigin: isAllowedOrigin(request, allowedOrigins) !== false,
    isSecure: !isPlainHttpLoopback(request),
  });

  const http = createHttpApp({
    router: appRouter,
    createContext: ({ requestId, request, resHeaders }) =>
      contextFor({ requestId, caller: callerOf(request), accessToken: bearerToken(request), resHeaders, socket: null }),
    routes: [
      createAuthRoutes({ auth, allowedOrigins: config.allowedOrigins, clientIp, logger }),
      createOAuthRoutes({
        auth,
        publicUrl: config.auth.oauth.publicUrl,
        trustProxy: config.trustProxy,
        clientIp,
        logger,
      }),
    ],
    checkReadiness: () => services.system.checkReadiness(),
    metrics: {
      render: () => metrics.render(),
      token: config.metricsToken,
      isOpenWithoutToken: isLoopbackHost(config.host),
    },
    webFiles: webFilesFor(config),
    securityHeaders: createSecurityHeaders({
      storeOrigins: await storeOriginsOf(blobStore.store),
      publicUrl: config.auth.oauth.publicUrl,
    }),
    logger,
  });

  const websockets = createTrpcWebSocketTransport({
    router: appRouter,
    createContext: ({ requestId, request, connectionParams, socket }) =>
      contextFor({
        requestId,
        caller: callerOf(request),
        accessToken: connectionParams?.accessToken ?? null,
        resHeaders: null,
        socket,
      }),
    allowedOrigins: config.allowedOrigins,
    authDeadlineMs: config.websocketAuthDeadlineMs,
    sendBufferLimit: config.websocketSendBufferLimit,
    lifecycle,
    clock,
    logger,
  });

  const pruners = [
    schedulePruning({ what: 'dead sessions', intervalMs: HOUR_MS, prune: () => auth.pruneDeadSessions(), logger }),
    schedulePruning({
      what: 'old events',
      intervalMs: 10 * 60 * 1000,
      prune: () => services.conversations.pruneEvents(),
      logger,
    }),
    schedulePruning({
      what: 'abandoned uploads',
      intervalMs: 10 * 60 * 1000,
      prune: () => attachments.collectAbandoned(),
      logger,
    }),
  ];
  const mediaProcessing = attachments.startProcessing({ pollMs: 5_000 });

  // Sessions revoked on any instance lose their sockets on every instance.
  // Not awaited: an instance whose broker is down still starts (and reports
  // not ready); the subscription goes live when the broker comes back.
  const stopListening = new AbortController();
  bus
    .subscribe(
      SESSION_REVOKED_TOPIC,
      {
        onMessage: (payload) => {
          const { sessionIds } = JSON.parse(payload) as { sessionIds: string[] };
          websockets.closeSessions(sessionIds, 'session revoked');
        },
      },
      stopListening.signal,
    )
    .catch((error) => logger.error({ err: error }, 'cannot listen for session revocations'));

  return {
    instanceId,
    http,
    websockets,
    lifecycle,
    services,
    database,
    /** Releases the database and broker connections; call after traffic has stopped. */
    async close() {
      for (const pruner of pruners) pruner.stop();
      // Jobs cut short here are leased; the lease runs out and another instance (or the next start) retries them.
      await mediaProcessing.stop();
      await imageWorkers.close();
      await blobStore.close();
      // While the bus is still up: the people whose sockets just closed are told who went offline.
      await presence.stop();
      stopListening.abort();
      eventHub.stop();
      await bus.close();
      await sharedState.close();
      await database.close();
    },
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
