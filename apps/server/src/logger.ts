import pino, { type Logger } from 'pino';
import type { Config } from './env.ts';

/** Structured JSON logs on stdout; one line per event, with `requestId` where there is one. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'gopherchat' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
