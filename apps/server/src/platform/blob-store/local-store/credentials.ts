import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeBase32UpperCaseNoPadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const isCredentials = (value: unknown): value is LocalCredentials =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LocalCredentials).accessKeyId === 'string' &&
  /^[A-Z0-9]{16,128}$/.test((value as LocalCredentials).accessKeyId) &&
  typeof (value as LocalCredentials).secretAccessKey === 'string' &&
  (value as LocalCredentials).secretAccessKey.length >= 40;

/**
 * The store's key pair: DIRECTORY/credentials.json, readable by its owner
 * only, generated on first start. Random for each data directory: a fixed
 * pair would let anything on the machine that knows it sign requests.
 */
export function loadLocalCredentials(directory: string): LocalCredentials {
  const path = join(directory, 'credentials.json');
  if (!existsSync(path)) {
    mkdirSync(directory, { recursive: true });
    const generated: LocalCredentials = {
      accessKeyId: `GC${encodeBase32UpperCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)))}`,
      secretAccessKey: encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(30))),
    };
    try {
      // 'wx': of two processes starting on the same directory, the second reads what the first wrote.
      writeFileSync(path, JSON.stringify(generated), { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const stored: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isCredentials(stored)) throw new Error(`${path} does not hold the local store's credentials`);
  return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
}
