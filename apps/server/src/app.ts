import { resolve } from 'node:path';
import type { Logger } from 'pino';
import packageJson from '../package.json' with { type: 'json' };
import { embeddedFiles } from './embedded.ts';
import type { Config } from './env.ts';
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
} from './modules/auth/index.ts';
import { createAvatarPictures, createAvatarRoutes } from './modules/avatars/index.ts';
import { createConversationService, createEventHub, createEventLog } from './modules/conversations/index.ts';
import { createLinkPreviews, createSafeFetcher } from './modules/link-previews/index.ts';
import { createPresenceService } from './modules/presence/index.ts';
import { createSystemService } from './modules/system/index.ts';
import { createProfileDirectory, createUserRepo, createUserService } from './modules/users/index.ts';
import { isLoopbackHost } from './origin.ts';
import { openBlobStore } from './platform/blob-store/index.ts';
import { createBus } from './platform/bus/index.ts';
import { type Scheduler, systemClock } from './platform/clock/index.ts';
import { openDatabase, resolveMigrationsDir } from './platform/database/index.ts';
import { createMetrics } from './platform/metrics/index.ts';
import { openSharedState } from './platform/shared-state.ts';
import { createSecurityHeaders, storeOriginsOf } from './security-headers.ts';
import { createContextFactory, type Services } from './trpc/context.ts';
import { appRouter } from './trpc/router.ts';
import { createTrpcWebSocketTransport } from './trpc/websocket.ts';

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/** What the process gives the app besides its config. */
export interface AppDeps {
  logger: Logger;
  /** Every expiry, deadline and timestamp reads it; tests pass a manual clock. The system clock by default. */
  clock?: Scheduler;
}

/**
 * The composition root, and the map of the system: read top to bottom, it
 * opens the infrastructure (database, bus, shared state, object store),
 * builds each module on the ports it needs, puts the tRPC router behind
 * HTTP and WebSocket transports, and starts the background work. Each port's
 * implementation is picked from the config by its own `open…`/`create…`.
 *
 * Whatever it has opened is closed again, in reverse order, by `close()`,
 * or at once if a later step fails (a bad key file must not leave the
 * database pool open).
 */
export async function createApp(config: Config, deps: AppDeps) {
  const { logger, clock = systemClock } = deps;
  await using opened = new AsyncDisposableStack();
  const instanceId = crypto.randomUUID().slice(0, 8);

  // Infrastructure.
  const database = await openDatabase(config.database, await resolveMigrationsDir(config.migrationsDir));
  opened.defer(() => database.close());
  await database.migrate();
  const bus = createBus(config.bus, logger);
  opened.defer(() => bus.close());
  const sharedState = openSharedState(config.sharedState, clock, logger, { presenceTtlMs: config.presenceTtlMs });
  opened.defer(() => sharedState.close());
  const blobStore = await openBlobStore(config.blobStore);
  opened.defer(() => blobStore.close());
  const imageWorkers = createWorkerPool<ProcessImageInput, ProcessedImage>({
    workerUrl: imageWorkerUrl,
    size: config.media.workers,
  });
  opened.defer(() => imageWorkers.close());
  const lifecycle = createLifecycle();
  const metrics = createMetrics();
  const limitsFor = sharedState.rateLimiters;

  // Accounts and sessions.
  const authKeys = await loadAuthKeys(config.auth, config.dataDir, logger);
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

  // Live events: the durable log, and this instance's hub that fans it (and signals) out to subscribers.
  const eventLog = createEventLog({ database, bus, clock, logger });
  const eventHub = createEventHub({ log: eventLog, bus, logger });
  await eventHub.start();
  opened.defer(() => eventHub.stop());
  const signal = eventHub.signal.bind(eventHub);

  const attachments = createAttachmentService({
    db: database.db,
    store: blobStore.store,
    images: imageWorkers,
    quotaBytes: config.media.quotaBytes,
    signal,
    clock,
    logger,
  });

  // Pages behind links, read with the SSRF defence (only the allow-listed private addresses), for preview cards.
  const previewSettings = config.linkPreviews;
  const linkPreviews =
    previewSettings &&
    createLinkPreviews({
      fetchPage: createSafeFetcher({
        clock,
        allow: (address) => previewSettings.allowedAddresses.includes(address),
      }).fetchPage,
      cache: sharedState.cache,
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
  const avatars = createAvatarPictures({ images: attachments, store: blobStore.store, logger });
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
    previews: linkPreviews,
    previewConcurrency: config.linkPreviews?.concurrency,
    avatars,
  });

  const presence = createPresenceService({
    presence: sharedState.presence,
    signal,
    directory: conversations,
    heartbeatEveryMs: Math.floor(config.presenceTtlMs / 3),
    now: () => clock.now(),
    logger,
    bus,
  });
  // While the bus is still up: the people whose sockets closed are told who went offline.
  opened.defer(() => presence.stop());
  // Newcomers to a conversation learn who is online there, and its members learn about them.
  conversations.onMembersJoined((conversationId, userIds) => presence.introduce(conversationId, userIds));

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
      startedAt: new Date(clock.now()),
    }),
    users: createUserService({
      repo: userRepo,
      profiles,
      conversationIdsOf: (userId) => conversations.conversationIdsOf(userId),
      signal,
      clock,
      avatars,
    }),
  };

  // Transports: one router, over HTTP and over WebSocket.
  const contexts = createContextFactory({
    services,
    lifecycle,
    requestDeadlineMs: config.requestDeadlineMs,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    logger,
  });
  const http = createHttpApp({
    router: appRouter,
    createContext: contexts.forHttp,
    routes: [
      createAvatarRoutes({ store: blobStore.store }),
      createAuthRoutes({ auth, allowedOrigins: config.allowedOrigins, clientIp: contexts.clientIp, logger }),
      createOAuthRoutes({
        auth,
        publicUrl: config.auth.oauth.publicUrl,
        trustProxy: config.trustProxy,
        clientIp: contexts.clientIp,
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
    createContext: contexts.forSocket,
    allowedOrigins: config.allowedOrigins,
    authDeadlineMs: config.websocketAuthDeadlineMs,
    sendBufferLimit: config.websocketSendBufferLimit,
    lifecycle,
    clock,
    logger,
  });

  // Background work.
  // Sessions revoked on any instance lose their sockets on every instance.
  // Not awaited: an instance whose broker is down still starts (and reports
  // not ready); the subscription goes live when the broker comes back.
  const stopWatchingRevocations = new AbortController();
  auth
    .watchRevocations(
      (sessionIds) => websockets.closeSessions(sessionIds, 'session revoked'),
      stopWatchingRevocations.signal,
    )
    .catch((error) => logger.error({ err: error }, 'cannot listen for session revocations'));
  opened.defer(() => stopWatchingRevocations.abort());
  // Jobs cut short by close() are leased; the lease runs out and another instance (or the next start) retries them.
  const mediaProcessing = attachments.startProcessing({ pollMs: 5_000 });
  opened.defer(() => mediaProcessing.stop());
  for (const pruner of [
    { what: 'dead sessions', intervalMs: HOUR_MS, prune: () => auth.pruneDeadSessions() },
    { what: 'old events', intervalMs: 10 * MINUTE_MS, prune: () => conversations.pruneEvents() },
    { what: 'abandoned uploads', intervalMs: 10 * MINUTE_MS, prune: () => attachments.collectAbandoned() },
  ]) {
    const pruning = schedulePruning({ ...pruner, logger });
    opened.defer(() => pruning.stop());
  }

  const owned = opened.move();
  return {
    instanceId,
    http,
    websockets,
    lifecycle,
    services,
    database,
    /** Stops the background work and releases every connection, newest first; call after traffic has stopped. */
    close: () => owned.disposeAsync(),
  };
}

/** An explicit WEB_DIST_DIR wins; else what the binary embeds; else the repository's build. */
function webFilesFor(config: Config): WebFiles {
  if (config.webDistDir) return { kind: 'dir', dir: config.webDistDir };
  const { web } = embeddedFiles();
  if (web.size > 0) return { kind: 'embedded', files: web };
  return { kind: 'dir', dir: resolve(import.meta.dir, '../../web/dist') };
}

export type App = Awaited<ReturnType<typeof createApp>>;
