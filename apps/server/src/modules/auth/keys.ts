import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Logger } from 'pino';
import type { AuthConfig } from '../../env.ts';

export interface AuthKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Key id in every token's header, so keys can be rotated later. */
  kid: string;
  /** Keys the derivation of rotated refresh tokens. */
  secret: Uint8Array;
}

interface StoredKeys {
  jwk: JWK;
  secret: string;
}

async function importKeys(jwk: JWK, secret: string): Promise<AuthKeys> {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d) {
    throw new Error('JWT_PRIVATE_JWK must be an Ed25519 private key (kty OKP, crv Ed25519, with d)');
  }
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, 'EdDSA')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'EdDSA')) as CryptoKey,
    kid: await calculateJwkThumbprint(publicJwk),
    secret: decodeBase64urlIgnorePadding(secret),
  };
}

/** A fresh Ed25519 key pair and secret, in the form the config takes. */
export async function generateStoredKeys(): Promise<StoredKeys> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return {
    jwk: await exportJWK(privateKey),
    secret: encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32))),
  };
}

/**
 * Signing keys from the config; where they are not configured, from
 * DATA_DIR/auth-keys.json, generated on first start. Every instance must
 * share the keys, so production deployments with several instances set
 * JWT_PRIVATE_JWK and AUTH_SECRET.
 */
export async function loadAuthKeys(
  config: Pick<AuthConfig, 'jwtPrivateJwk' | 'secret'>,
  dataDir: string,
  logger: Logger,
): Promise<AuthKeys> {
  if (config.jwtPrivateJwk && config.secret) {
    return importKeys(JSON.parse(config.jwtPrivateJwk) as JWK, config.secret);
  }
  const path = join(dataDir, 'auth-keys.json');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, JSON.stringify(await generateStoredKeys()), { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    logger.warn({ path }, 'generated auth keys; set JWT_PRIVATE_JWK and AUTH_SECRET to share them between instances');
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredKeys;
  return importKeys(
    config.jwtPrivateJwk ? (JSON.parse(config.jwtPrivateJwk) as JWK) : stored.jwk,
    config.secret ?? stored.secret,
  );
}
