/** What `system.info` tells a client about the server it reached. */
export interface SystemInfo {
  name: string;
  version: string;
  /** Distinguishes instances behind one address (useful when several share Redis). */
  instanceId: string;
  database: 'pglite' | 'postgres';
  bus: 'memory' | 'redis';
  startedAt: string;
  uptimeSeconds: number;
}
