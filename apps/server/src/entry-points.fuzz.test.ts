import { afterAll, beforeAll, describe, expect, it } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CALLS_PER_BATCH_MAX,
  CLOSE_AUTH_REQUIRED,
  CLOSE_POLICY_VIOLATION,
  CLOSE_TOKEN_EXPIRED,
  CLOSE_UNSUPPORTED_DATA,
} from '@gopherchat/api';
import { registerAccount } from './testing/accounts.ts';
import { createTestDatabase, type TestDatabase } from './testing/database.ts';
import {
  deeplyNested,
  fuzzRounds,
  fuzzSeed,
  malformedJson,
  type Random,
  randomJson,
  randomString,
  seededRandom,
} from './testing/fuzz.ts';
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts';
import { FRAME_MAX_BYTES } from './trpc/frame-limits.ts';
import { appRouter } from './trpc/router.ts';

/**
 * Every entry point that reads the network, fed hostile input by a server in
 * a process of its own, as production runs it: the process must stay up,
 * health checks must answer, and every answer must be a typed error, never
 * a 500. Seeded and bounded by count (FUZZ_SEED, FUZZ_ROUNDS: docs/security.md).
 */

/** Every procedure but the one that would sign the fuzzer's account out everywhere (and so test little after). */
const PROCEDURE_PATHS = Object.keys(appRouter._def.procedures).filter((path) => path !== 'auth.logoutEverywhere');
/** Resume points around the edges of a bigint, and past them. */
const EVENT_IDS = ['-1', '0', '1', '9223372036854775807', '9223372036854775808', '9'.repeat(30), '1e3', ''];
/** Close codes a hostile frame may earn: normal, unsupported data, policy, too big, auth (docs/security.md). */
const EXPECTED_CLOSE_CODES = new Set([
  1000, // normal closure
  CLOSE_UNSUPPORTED_DATA,
  CLOSE_POLICY_VIOLATION,
  1009, // frame too big: Bun's own, before anything reads it
  CLOSE_AUTH_REQUIRED,
  CLOSE_TOKEN_EXPIRED,
]);
/** Log lines that mean a request reached a handler's bug, or got past every handler. */
const BUG_LOGS = new Set([
  'uncaught exception; carrying on',
  'unhandled rejection; carrying on',
  'request failed outside the handlers',
  'request failed',
  'procedure failed',
  'websocket procedure failed',
]);

let server: SpawnedServer;
let database: TestDatabase;
let accessToken: string;

beforeAll(async () => {
  database = await createTestDatabase('fuzz');
  // A web app of its own: the static files' handler decodes paths, and the suite may not have built the real one.
  const webDist = mkdtempSync(join(tmpdir(), 'gc-fuzz-web-'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>GopherChat</title>');
  server = await spawnServer({
    DATABASE_URL: database.url,
    WEB_DIST_DIR: webDist,
    DATA_DIR: `/tmp/gc-fuzz-${crypto.randomUUID()}`,
    // Each sweep signs up an account of its own.
    REGISTER_LIMIT_PER_IP: '1000',
  });
  accessToken = await registerAccount(server.url, `fuzz${crypto.randomUUID().slice(0, 8)}`);
});

afterAll(async () => {
  await server?.[Symbol.asyncDispose]();
  await database?.drop();
});

/** The process is up and answers its liveness check. */
async function expectAlive() {
  expect(server.process.exitCode).toBeNull();
  const health = await fetch(new URL('/healthz', server.url));
  expect(health.status).toBe(200);
}

function expectNoBugLogged() {
  const bugs = server.logs.filter((line) => BUG_LOGS.has(String(line.msg)));
  expect(bugs).toEqual([]);
}

interface FuzzSocket {
  frames: Array<Record<string, unknown>>;
  closed: Promise<number>;
  isOpen(): boolean;
  send(frame: string | Uint8Array): void;
  /** Resolves once the server answered `id`, or closed the socket. */
  answered(id: string): Promise<void>;
}

async function openSocket(
  kind: 'anonymous' | 'awaiting-params' | 'signed-in',
  token = accessToken,
): Promise<FuzzSocket> {
  const query = kind === 'anonymous' ? '' : '?connectionParams=1';
  const socket = new WebSocket(`ws://${server.url.host}/trpc${query}`);
  const frames: Array<Record<string, unknown>> = [];
  const waiters = new Map<string, () => void>();
  let isOpen = false;
  const closed = new Promise<number>((resolve) => {
    socket.onclose = (event) => {
      isOpen = false;
      for (const wake of waiters.values()) wake();
      resolve(event.code);
    };
  });
  socket.onmessage = (message) => {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(String(message.data));
    } catch {
      frame = { unparsable: String(message.data).slice(0, 200) };
    }
    frames.push(frame);
    waiters.get(String(frame.id))?.();
  };
  await new Promise<void>((resolve, reject) => {
    socket.onopen = () => {
      isOpen = true;
      resolve();
    };
    socket.onerror = () => reject(new Error('the socket did not open'));
  });
  if (kind === 'signed-in') socket.send(JSON.stringify({ method: 'connectionParams', data: { accessToken: token } }));
  return {
    frames,
    closed,
    isOpen: () => isOpen,
    send: (frame) => {
      if (isOpen) socket.send(frame);
    },
    answered: (id) => (isOpen ? new Promise<void>((resolve) => waiters.set(id, resolve)) : Promise.resolve()),
  };
}

/** A frame a hostile or broken client might send. */
function randomFrame(random: Random, nextId: () => number): string | Uint8Array {
  const request = () => ({
    id: random.chance(0.9) ? nextId() : randomJson(random, 1),
    ...(random.chance(0.5) ? { jsonrpc: '2.0' } : {}),
    method: random.pick(['query', 'mutation', 'subscription', 'subscription.stop', 'connectionParams', 'nope']),
    params: {
      path: random.chance(0.85) ? random.pick(PROCEDURE_PATHS) : randomString(random),
      input: random.chance(0.3) ? { lastEventId: random.pick(EVENT_IDS) } : randomJson(random),
      ...(random.chance(0.2) ? { lastEventId: random.pick(EVENT_IDS) } : {}),
    },
  });
  switch (random.int(10)) {
    case 0:
      return malformedJson(random);
    case 1:
      return Uint8Array.from({ length: 1 + random.int(64) }, () => random.int(256));
    case 2:
      return random.pick(['PING', 'PONG', '', 'null', '[]', '{}']);
    case 3:
      return `{"id":${nextId()},"method":"subscription","params":{"path":"events.subscribe","input":{"a":${deeplyNested(
        20 + random.int(5_000),
        random.chance(0.5) ? 'array' : 'object',
      )}}}}`;
    case 4:
      return JSON.stringify(Array.from({ length: 1 + random.int(CALLS_PER_BATCH_MAX + 20) }, request));
    default:
      return JSON.stringify(request());
  }
}

describe('the WebSocket entry under fuzzing', () => {
  it('survives a deeply nested frame before any token (one such frame ended the process)', async () => {
    for (const kind of ['anonymous', 'awaiting-params', 'signed-in'] as const) {
      const socket = await openSocket(kind);
      socket.send(
        `{"id":1,"method":"subscription","params":{"path":"events.subscribe","input":{"a":${deeplyNested(100_000, 'array')}}}}`,
      );
      // An anonymous socket may be closed for its missing token before the frame is read.
      expect([CLOSE_POLICY_VIOLATION, CLOSE_AUTH_REQUIRED]).toContain(await socket.closed);
      await expectAlive();
    }
    expectNoBugLogged();
  });

  it('closes a socket whose frame is too large, and only that socket', async () => {
    const bystander = await openSocket('signed-in');
    const offender = await openSocket('signed-in');
    offender.send(`"${'x'.repeat(FRAME_MAX_BYTES + 1)}"`);
    expect(await offender.closed).toBe(1009);
    bystander.send(JSON.stringify({ id: 'still-here', method: 'query', params: { path: 'system.info' } }));
    await bystander.answered('still-here');
    expect(bystander.frames.find((frame) => frame.id === 'still-here')).toMatchObject({ result: { type: 'data' } });
    await expectAlive();
  });

  it('answers random, malformed, binary, batched and interleaved frames with typed errors, and stays up', async () => {
    const random = seededRandom(fuzzSeed);
    let id = 1_000;
    const nextId = () => ++id;
    const closeCodes: number[] = [];
    const errorCodes = new Set<string>();
    for (let round = 0; round < 40 * fuzzRounds; round++) {
      const socket = await openSocket(random.pick(['anonymous', 'awaiting-params', 'signed-in'] as const));
      for (let count = 1 + random.int(8); count > 0; count--) socket.send(randomFrame(random, nextId));
      // Frames are handled in order: once this is answered (or the socket closed), the ones before it were read.
      const sentinel = `sentinel-${round}`;
      socket.send(JSON.stringify({ id: sentinel, method: 'query', params: { path: 'system.info' } }));
      await socket.answered(sentinel);
      for (const frame of socket.frames) {
        const code = (frame.error as { data?: { code?: string } } | undefined)?.data?.code;
        if (code) errorCodes.add(code);
      }
      if (socket.isOpen()) continue;
      closeCodes.push(await socket.closed);
      if (round % 10 === 0) await expectAlive();
    }
    expect(errorCodes.has('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(closeCodes.filter((code) => !EXPECTED_CLOSE_CODES.has(code))).toEqual([]);
    await expectAlive();
    expectNoBugLogged();
  });

  it('answers every procedure, called every way with hostile inputs, without an internal error', async () => {
    const random = seededRandom(fuzzSeed + 2);
    const errorCodes: string[] = [];
    let id = 0;
    for (const path of PROCEDURE_PATHS) {
      const socket = await openSocket(
        'signed-in',
        await registerAccount(server.url, `sweep${++id}x${crypto.randomUUID().slice(0, 6)}`),
      );
      const inputs = [
        ...EVENT_IDS.map((lastEventId) => ({ lastEventId })),
        ...Array.from({ length: 4 * fuzzRounds }, () => randomJson(random)),
      ];
      for (const method of ['query', 'mutation', 'subscription'] as const) {
        for (const input of inputs) socket.send(JSON.stringify({ id: ++id, method, params: { path, input } }));
      }
      const sentinel = `sentinel-${path}`;
      socket.send(JSON.stringify({ id: sentinel, method: 'query', params: { path: 'system.info' } }));
      await socket.answered(sentinel);
      for (const frame of socket.frames) {
        const code = (frame.error as { data?: { code?: string } } | undefined)?.data?.code;
        if (code === 'INTERNAL_SERVER_ERROR') errorCodes.push(`${path}: ${JSON.stringify(frame.error).slice(0, 200)}`);
      }
    }
    expect(errorCodes).toEqual([]);
    await expectAlive();
  });

  it('refuses a resume id past a bigint on every stream as invalid input (one answered 500)', async () => {
    const socket = await openSocket(
      'signed-in',
      await registerAccount(server.url, `resume${crypto.randomUUID().slice(0, 8)}`),
    );
    // Flat by dotted path at run time, whatever its nested type says.
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const streams = PROCEDURE_PATHS.filter((path) => procedures[path]?._def.type === 'subscription');
    expect(streams.length).toBeGreaterThan(1);
    let id = 0;
    for (const path of streams) {
      for (const lastEventId of ['9223372036854775808', '9'.repeat(30)]) {
        const request = String(++id);
        socket.send(JSON.stringify({ id: request, method: 'subscription', params: { path, input: { lastEventId } } }));
        await socket.answered(request);
        // The first answer: refused before the stream starts, not started and then failed (or resynced).
        expect(socket.frames.find((frame) => frame.id === request)).toMatchObject({
          error: { data: { code: 'BAD_REQUEST', appCode: 'INVALID_INPUT' } },
        });
      }
    }
  });

  it('refuses a socket more live subscriptions than its cap, as a typed error', async () => {
    // An account of its own: the fuzzing above may well have signed the shared one out.
    const socket = await openSocket(
      'signed-in',
      await registerAccount(server.url, `cap${crypto.randomUUID().slice(0, 8)}`),
    );
    const subscribe = (id: number) =>
      JSON.stringify({ id, method: 'subscription', params: { path: 'announcements.stream', input: {} } });
    for (let id = 1; id <= 33; id++) socket.send(subscribe(id));
    await socket.answered('33');
    const answerTo = (id: number) => socket.frames.find((frame) => frame.id === id);
    expect(answerTo(33)).toMatchObject({ error: { data: { code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED' } } });
    // Stopping one frees its place.
    socket.send(JSON.stringify({ id: 1, method: 'subscription.stop' }));
    socket.send(subscribe(34));
    await socket.answered('34');
    expect(answerTo(34)).toMatchObject({ result: { type: 'started' } });
  });
});

/** encodeURIComponent throws on an unpaired surrogate: the fuzzer's own URLs go without any. */
const SURROGATES = /[\uD800-\uDFFF]/g;

/** One HTTP request a hostile or broken client might send. */
function randomRequest(random: Random, base: URL): { url: string; init: RequestInit } {
  const path = random.pick(PROCEDURE_PATHS);
  const input = encodeURIComponent((JSON.stringify(randomJson(random)) ?? '').replace(SURROGATES, '?'));
  const headers: Record<string, string> = random.chance(0.5) ? { authorization: `Bearer ${accessToken}` } : {};
  switch (random.int(8)) {
    case 0:
      return { url: `${base.origin}/trpc/${path}?input=${input}`, init: { headers } };
    case 1: {
      const paths = Array.from({ length: 1 + random.int(CALLS_PER_BATCH_MAX + 20) }, () => path).join(',');
      return { url: `${base.origin}/trpc/${paths}?batch=1&input=${input}`, init: { headers } };
    }
    case 2:
      return {
        url: `${base.origin}/trpc/${random.chance(0.8) ? path : randomString(random)}`,
        init: {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': random.pick(['application/json', 'text/plain', 'multipart/form-data']),
          },
          body: random.chance(0.7) ? JSON.stringify(randomJson(random)) : malformedJson(random),
        },
      };
    case 3:
      return {
        url: `${base.origin}/auth/${random.pick(['refresh', 'logout', 'oauth/github', 'oauth/github/callback', 'oauth/x/callback'])}?code=${input}&state=${input}`,
        init: {
          method: random.pick(['GET', 'POST']),
          headers: {
            cookie: `gc_refresh=${encodeURIComponent(randomString(random).replace(SURROGATES, '?'))}; gc_oauth=${input}`,
            'x-gopherchat-csrf': '1',
          },
        },
      };
    case 4:
      return {
        url: `${base.origin}/${random.pick(['%zz', '%E0%A4%A', 'assets/%', '..%2f..%2fetc', 'a%00b', '%'])}`,
        init: {},
      };
    case 5:
      return {
        url: `${base.origin}/${random.pick(['trpc', 'auth', 'healthz', 'readyz', 'metrics', 'x'])}`,
        init: { method: random.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) },
      };
    default:
      return {
        url: `${base.origin}/trpc/${path}`,
        init: {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: deeplyNested(random.int(50_000), 'array'),
        },
      };
  }
}

/** Writes `raw` on a fresh TCP connection and reads until the server closes it. */
async function rawExchange(raw: string): Promise<string> {
  const decoder = new TextDecoder();
  let answer = '';
  const { promise, resolve } = Promise.withResolvers<string>();
  await Bun.connect({
    hostname: server.url.hostname,
    port: Number(server.url.port),
    socket: {
      open: (socket) => void socket.write(raw),
      data: (_socket, chunk) => {
        answer += decoder.decode(chunk, { stream: true });
      },
      close: () => resolve(answer),
      error: () => resolve(answer),
    },
  });
  return promise;
}

describe('the HTTP entries under fuzzing', () => {
  it('answers random, malformed and oversized requests to /trpc, /auth and elsewhere with typed 4xx', async () => {
    const random = seededRandom(fuzzSeed + 1);
    const serverErrors: string[] = [];
    for (let count = 0; count < 200 * fuzzRounds; count++) {
      const { url, init } = randomRequest(random, server.url);
      const response = await fetch(url, { ...init, redirect: 'manual' });
      const body = await response.text();
      if (response.status >= 500)
        serverErrors.push(`${init.method ?? 'GET'} ${url.slice(0, 120)} → ${response.status}`);
      if (init.method !== 'HEAD' && response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
        expect(() => JSON.parse(body)).not.toThrow();
      }
    }
    expect(serverErrors).toEqual([]);
    await expectAlive();
    expectNoBugLogged();
  });

  it('refuses a tRPC batch over the cap (one request created 1 000 messages)', async () => {
    const paths = Array.from({ length: CALLS_PER_BATCH_MAX + 1 }, () => 'system.info').join(',');
    const response = await fetch(new URL(`/trpc/${paths}?batch=1&input={}`, server.url));
    expect(response.status).toBe(400);
  });

  it('answers a health probe without a Host header (HTTP/1.0, as haproxy sends) and refuses a malformed path', async () => {
    expect(await rawExchange('GET /readyz HTTP/1.0\r\n\r\n')).toStartWith('HTTP/1.1 200');
    expect(await rawExchange('GET /healthz HTTP/1.0\r\n\r\n')).toStartWith('HTTP/1.1 200');
    expect(await rawExchange('GET /%zz HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n')).toMatch(
      /^HTTP\/1\.1 4\d\d/,
    );
    const malformed = await fetch(new URL('/%E0%A4%A', server.url));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'The address is malformed.' });
    await expectAlive();
    expectNoBugLogged();
  });
});
