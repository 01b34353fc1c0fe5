import pino from 'pino';

/** Tests keep quiet unless TEST_LOG is set in the environment of the run. */
export const testLogger = pino({ level: Bun.env.TEST_LOG ?? 'silent' });
