import pino from 'pino';
import { loadTestServices } from '../env.ts';

/** Tests keep quiet unless TEST_LOG names a level. */
export const testLogger = pino({ level: loadTestServices().logLevel });
