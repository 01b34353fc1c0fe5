/**
 * Fan-out through the whole stack: C real clients (the SDK: tRPC over one
 * WebSocket for events and sends) in rooms of M, against real server
 * processes on PostgreSQL (and Redis when there are several instances),
 * sending R messages/s for D seconds.
 *
 *   bun run bench:fanout -- --clients 1000 --room 50 --rate 1000 --seconds 10 [--instances 2] [--capacity [--step 1.1]] [--receipts] [--receivers wire] [--profile DIR]
 *
 * Prints one JSON line per run: sends, acknowledgements, deliveries (each
 * message reaches every member of its room, the sender included), losses,
 * duplicates (an event not newer than the last of its conversation: repeated
 * or out of order), events per frame (message deliveries over every frame
 * received, receipts and presence frames included), delivery latency (send start → arrival), acknowledgement
 * latency (send start → ack), the server's CPU and memory and the load generator's CPU, with the ceiling: bare Bun.serve topic publish of frames of the
 * same size to the same clients, measured in the same run. --capacity raises
 * the rate by --step (×1.1 by default) until p99 passes 100 ms or anything is
 * lost; the last rate that held is the capacity. --receipts makes
 * every client acknowledge what it received the way the web client does
 * (at most one `receipts.markDelivered` per client per
 * DELIVERY_RECEIPT_INTERVAL_MS, carrying its newest seq per conversation),
 * so receipts events join the fan-out. --receivers wire is a diagnostic: each
 * client then subscribes over a bare WebSocket speaking tRPC's wire protocol
 * (its sends still go through the SDK), so the SDK's share of the
 * generator's CPU is the difference between the two runs.
 * Presence is always on: every subscription is a connection.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DELIVERY_RECEIPT_INTERVAL_MS, type UserEvent } from '@gopherchat/api';
import { createGopherClient, type GopherClient } from '@gopherchat/sdk';
import { registerAccount, spawnCluster } from '@gopherchat/server/testing';
import { percentile, round, serverUsage } from './stats.ts';

const { values } = parseArgs({
  // `bun run bench:fanout -- --clients …` may pass the `--` along.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    clients: { type: 'string', default: '1000' },
    room: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    instances: { type: 'string', default: '1' },
    capacity: { type: 'boolean', default: false },
    /**
     * How much each capacity step raises the rate. Sessions up to 10 used
     * ×1.25, which could report up to a fifth less than the rate that held.
     */
    step: { type: 'string', default: '1.1' },
    receipts: { type: 'boolean', default: false },
    receivers: { type: 'string', default: 'sdk' },
    /** Writes each server's CPU profile (Markdown) into this directory when it exits. */
    profile: { type: 'string' },
  },
});
const clientCount = Number(values.clients);
const roomSize = Number(values.room);
const instanceCount = Number(values.instances);
const seconds = Number(values.seconds);
const roomCount = Math.floor(clientCount / roomSize);
if (roomCount < 1) throw new Error('--clients must be at least --room');
if (values.receivers !== 'sdk' && values.receivers !== 'wire') throw new Error('--receivers is sdk or wire');
const capacityStep = Number(values.step);
if (!(capacityStep > 1)) throw new Error('--step must be more than 1');

/** Runs `work` over `items`, `limit` at a time. */
async function inParallel<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index] as T, index);
      }
    }),
  );
}

const userIdOf = (accessToken: string) =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

/**
 * Subscribes to the events of the account `accessToken` signs in as, over a
 * bare WebSocket, the way the SDK's link does on the wire (connection
 * parameters, then one subscription), and hands each data frame's events to
 * `onEvents`; resolves once it has started.
 */
function subscribeOverWire(
  serverUrl: URL,
  accessToken: string,
  onEvents: (events: UserEvent[], arrivedAt: number) => void,
): Promise<WebSocket> {
  const url = new URL('/trpc?connectionParams=1', serverUrl);
  url.protocol = 'ws:';
  return new Promise((started, fail) => {
    const socket = new WebSocket(url);
    socket.onopen = () => {
      socket.send(JSON.stringify({ method: 'connectionParams', data: { accessToken } }));
      socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'events.subscribe', input: {} } }));
    };
    socket.onerror = fail;
    socket.onmessage = (message) => {
      const arrivedAt = performance.now();
      const { result } = JSON.parse(message.data as string) as {
        result?: { type: 'started' } | { type: 'data'; data: { data: UserEvent[] } };
      };
      if (result?.type === 'started') started(socket);
      else if (result?.type === 'data') onEvents(result.data.data, arrivedAt);
    };
  });
}

interface Receiver {
  /**
   * Newest seq received per conversation. Events arrive in seq order, so one
   * that is not newer is a repeat (or out of order): a check that costs the
   * generator one map lookup, where a set of every key seen grew all run.
   */
  newestSeq: Map<string, number>;
  /** Newest seq received per conversation, not acknowledged yet. */
  unacknowledged: Map<string, number>;
}

async function main() {
  await using cluster = await spawnCluster({
    label: 'fanout',
    instances: instanceCount,
    env: {
      DATABASE_POOL_SIZE: '20',
      LOG_LEVEL: 'info',
      ...(values.profile ? { BUN_OPTIONS: `--cpu-prof-md --cpu-prof-dir=${resolve(values.profile)}` } : {}),
    },
  });
  const { servers } = cluster;
  const clients: GopherClient[] = [];
  const wireSockets: WebSocket[] = [];
  let receiptTimer: ReturnType<typeof setInterval> | undefined;
  try {
    // People, spread over the instances, and their rooms.
    const tokens: string[] = new Array(clientCount);
    await inParallel([...Array(clientCount).keys()], 16, async (index) => {
      tokens[index] = await registerAccount(servers[index % instanceCount]?.url ?? '', `fan${index}`);
    });
    for (let index = 0; index < clientCount; index++) {
      const token = tokens[index] ?? '';
      clients.push(createGopherClient({ url: servers[index % instanceCount]?.url ?? '', accessToken: () => token }));
    }
    const roomIds: string[] = [];
    for (let room = 0; room < roomCount; room++) {
      const members = Array.from({ length: roomSize }, (_, offset) => room * roomSize + offset);
      const owner = clients[members[0] ?? 0] as GopherClient;
      const created = await owner.api.conversations.createGroup.mutate({
        title: `room ${room}`,
        memberIds: members.slice(1).map((member) => userIdOf(tokens[member] ?? '')),
      });
      roomIds.push(created.id);
    }

    // Every client subscribes to its events and records what arrives.
    const latencies: number[] = [];
    let delivered = 0;
    let duplicates = 0;
    let lastDeliveryAt = 0;
    let frames = 0;
    const receivers: Receiver[] = clients.map(() => ({ newestSeq: new Map(), unacknowledged: new Map() }));
    const receive = (receiver: Receiver, events: UserEvent[], arrivedAt: number) => {
      frames++;
      for (const event of events) {
        if (event.kind !== 'message' || event.message.content.type !== 'text') continue;
        const { conversationId, seq } = event.message;
        if (seq <= (receiver.newestSeq.get(conversationId) ?? 0)) {
          duplicates++;
          continue;
        }
        receiver.newestSeq.set(conversationId, seq);
        // Only with --receipts: the generator's own CPU counts against the machine.
        if (values.receipts) receiver.unacknowledged.set(conversationId, seq);
        delivered++;
        lastDeliveryAt = arrivedAt;
        const { text } = event.message.content;
        latencies.push(arrivedAt - Number(text.slice(text.indexOf(' ') + 1)));
      }
    };
    await inParallel(clients, 50, async (client, index) => {
      const receiver = receivers[index] as Receiver;
      if (values.receivers === 'wire') {
        const server = servers[index % instanceCount];
        if (!server) throw new Error('no server for this client');
        wireSockets.push(
          await subscribeOverWire(server.url, tokens[index] ?? '', (events, arrivedAt) =>
            receive(receiver, events, arrivedAt),
          ),
        );
        return;
      }
      await new Promise<void>((started) => {
        client.api.events.subscribe.subscribe(undefined, {
          onStarted: () => started(),
          onData: ({ data }) => receive(receiver, data, performance.now()),
        });
      });
    });

    let receiptCalls = 0;
    let receiptFailures = 0;
    const acknowledge = () => {
      receivers.forEach((receiver, index) => {
        if (receiver.unacknowledged.size === 0) return;
        const pointers = [...receiver.unacknowledged].map(([conversationId, seq]) => ({ conversationId, seq }));
        receiver.unacknowledged.clear();
        receiptCalls++;
        (clients[index] as GopherClient).api.receipts.markDelivered.mutate({ pointers }).catch(() => {
          receiptFailures++;
        });
      });
    };
    receiptTimer = values.receipts ? setInterval(acknowledge, DELIVERY_RECEIPT_INTERVAL_MS) : undefined;

    let sequence = 0;
    async function run(rate: number) {
      receiptCalls = 0;
      receiptFailures = 0;
      latencies.length = 0;
      const ackLatencies: number[] = [];
      delivered = 0;
      frames = 0;
      duplicates = 0;
      let sent = 0;
      let acked = 0;
      let failed = 0;
      const usageBefore = await serverUsage(...servers);
      const generatorBefore = process.cpuUsage();
      const startedAt = performance.now();
      const endAt = startedAt + seconds * 1000;
      const inFlight = new Set<Promise<void>>();
      // Sends due so far follow the clock, not the loop count: a late timer must not lower the rate.
      for (let now = startedAt; now < endAt; now = performance.now()) {
        const due = Math.floor(((now - startedAt) / 1000) * rate) - sent;
        for (let count = 0; count < due; count++) {
          const room = sequence % roomCount;
          const senderIndex = room * roomSize + Math.floor(Math.random() * roomSize);
          const key = `m${sequence++}`;
          const sentAt = performance.now();
          sent++;
          const send = (clients[senderIndex] as GopherClient).api.messages.send
            .mutate({
              conversationId: roomIds[room] ?? '',
              clientMessageId: key,
              content: { type: 'text', text: `${key} ${sentAt}` },
            })
            .then(
              () => {
                acked++;
                ackLatencies.push(performance.now() - sentAt);
              },
              () => {
                failed++;
              },
            )
            .finally(() => inFlight.delete(send));
          inFlight.add(send);
        }
        await Bun.sleep(5);
      }
      await Promise.all(inFlight);
      // Let the last deliveries land: wait until nothing has arrived for a second.
      for (let last = -1; last !== delivered; ) {
        last = delivered;
        await Bun.sleep(1_000);
      }
      const elapsedS = (Math.max(lastDeliveryAt, endAt) - startedAt) / 1000;
      const usageAfter = await serverUsage(...servers);
      const generator = process.cpuUsage(generatorBefore);
      const sorted = [...latencies].sort((a, b) => a - b);
      const sortedAcks = ackLatencies.sort((a, b) => a - b);
      const expected = acked * roomSize;
      return {
        clients: clientCount,
        room: roomSize,
        rate,
        seconds,
        instances: instanceCount,
        sent,
        acked,
        failed,
        expected_deliveries: expected,
        delivered,
        lost: Math.max(0, expected - delivered),
        duplicates,
        events_per_frame: round(delivered / frames),
        receipt_calls: receiptCalls,
        receipt_failures: receiptFailures,
        delivered_per_s: Math.round(delivered / elapsedS),
        p50_ms: round(percentile(sorted, 50)),
        p95_ms: round(percentile(sorted, 95)),
        p99_ms: round(percentile(sorted, 99)),
        ack_p50_ms: round(percentile(sortedAcks, 50)),
        ack_p99_ms: round(percentile(sortedAcks, 99)),
        server_rss_mb: usageAfter.server_rss_mb,
        server_cpu_s: round(usageAfter.server_cpu_s - usageBefore.server_cpu_s),
        server_system_cpu_s: round(usageAfter.server_system_cpu_s - usageBefore.server_system_cpu_s),
        // The clients and the senders share the machine with the server: when they saturate a core, latency is theirs.
        generator_cpu_s: round((generator.user + generator.system) / 1e6),
        generator_system_cpu_s: round(generator.system / 1e6),
      };
    }

    const ceiling = await measureCeiling();
    const runs = [];
    if (values.capacity) {
      for (let rate = Number(values.rate); ; rate = Math.round(rate * capacityStep)) {
        const result = await run(rate);
        console.log(JSON.stringify({ ...result, ceiling_delivered_per_s: ceiling }));
        runs.push(result);
        if (result.p99_ms > 100 || result.lost > 0 || result.failed > 0) break;
      }
      const sustained = runs.slice(0, -1).at(-1);
      console.log(
        JSON.stringify({
          capacity_delivered_per_s: sustained?.delivered_per_s ?? 0,
          capacity_rate: sustained?.rate ?? 0,
          ceiling_delivered_per_s: ceiling,
          capacity_vs_ceiling: sustained ? round(sustained.delivered_per_s / ceiling) : 0,
        }),
      );
    } else {
      console.log(JSON.stringify({ ...(await run(Number(values.rate))), ceiling_delivered_per_s: ceiling }));
    }
  } finally {
    clearInterval(receiptTimer);
    for (const socket of wireSockets) socket.close();
    await Promise.all(clients.map((client) => client.close()));
    // A profile is written on a clean exit only, not on the SIGKILL of disposal.
    if (values.profile)
      await Promise.all(
        servers.map((server) => {
          server.process.kill('SIGTERM');
          return server.exited;
        }),
      );
  }
}

/** Bare Bun.serve topic publish to `clientCount` sockets in the same rooms: deliveries per second. */
async function measureCeiling(): Promise<number> {
  const child = Bun.spawn(['bun', resolve(import.meta.dir, 'raw-publish-server.ts')], {
    env: { ...process.env, ROOMS: String(roomCount) },
    stdout: 'pipe',
  });
  try {
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    const { port } = JSON.parse(new TextDecoder().decode(value)) as { port: number };
    let received = 0;
    const sockets = await Promise.all(
      Array.from(
        { length: roomCount * roomSize },
        (_, index) =>
          new Promise<WebSocket>((open, fail) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}/?room=${Math.floor(index / roomSize)}`);
            socket.onmessage = () => {
              received++;
            };
            socket.onopen = () => open(socket);
            socket.onerror = fail;
          }),
      ),
    );
    // About the size of a message event as the SDK receives it; 2 M deliveries whatever the room size.
    const frames = Math.round(2_000_000 / roomSize);
    const startedAt = performance.now();
    await fetch(`http://127.0.0.1:${port}/blast?count=${frames}&bytes=420`);
    for (let last = -1; last !== received; ) {
      last = received;
      await Bun.sleep(200);
    }
    const elapsedS = (performance.now() - startedAt - 200) / 1000;
    for (const socket of sockets) socket.close();
    return Math.round(received / elapsedS);
  } finally {
    child.kill();
  }
}

await main();
