import { describe, expect, it } from 'bun:test';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './env.ts';

describe('loadConfig', () => {
  it('falls back to the embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: resolve('.data', 'pglite') });
    expect(config.bus).toEqual({ kind: 'memory' });
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
  });

  it('switches to the real services when their URLs are set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/chat',
      REDIS_URL: 'redis://cache:6379',
      REDIS_KEY_PREFIX: 'prod:',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/chat', poolSize: 10 });
    expect(config.bus).toEqual({ kind: 'redis', url: 'redis://cache:6379', keyPrefix: 'prod:' });
  });

  it('splits and trims the WebSocket origin allow-list', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: ' https://a.example , https://b.example,' }).allowedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('names every invalid setting in one readable error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('DATABASE_URL must be a postgres:// URL');
    }
  });
});
