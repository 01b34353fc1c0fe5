import type { SpawnedServer } from '@gopherchat/server/testing';

/** The p-th percentile of an ascending array (nearest rank); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Two decimals: enough for milliseconds, short enough to read. */
export const round = (value: number) => Math.round(value * 100) / 100;

/** CPU seconds and resident memory of the server processes so far, summed, from /proc (Linux). */
export async function serverUsage(...servers: SpawnedServer[]) {
  let cpuTicks = 0;
  let systemTicks = 0;
  let rssKb = 0;
  for (const server of servers) {
    const pid = server.process.pid;
    const stat = (await Bun.file(`/proc/${pid}/stat`).text()).split(') ')[1]?.split(' ') ?? [];
    cpuTicks += Number(stat[11]) + Number(stat[12]); // utime + stime
    systemTicks += Number(stat[12]);
    const status = await Bun.file(`/proc/${pid}/status`).text();
    rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  }
  const ticksPerSecond = 100; // USER_HZ on Linux
  return {
    server_cpu_s: round(cpuTicks / ticksPerSecond),
    /** The kernel's share of it: socket reads and writes, mostly. */
    server_system_cpu_s: round(systemTicks / ticksPerSecond),
    server_rss_mb: Math.round(rssKb / 1024),
  };
}

/** Throughput and latency percentiles of operations that took `latencies` ms, over `elapsedMs`. */
export function summarize(latencies: number[], elapsedMs: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    ops: latencies.length,
    ops_per_s: Math.round((latencies.length / elapsedMs) * 1000),
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
  };
}

/** `concurrency` workers calling `operation` back to back for `seconds`. */
export async function runClosedLoop(
  operation: () => Promise<unknown>,
  options: { seconds: number; concurrency: number },
) {
  const latencies: number[] = [];
  const startedAt = performance.now();
  const endAt = startedAt + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < endAt) {
        const begin = performance.now();
        await operation();
        latencies.push(performance.now() - begin);
      }
    }),
  );
  return summarize(latencies, performance.now() - startedAt);
}
