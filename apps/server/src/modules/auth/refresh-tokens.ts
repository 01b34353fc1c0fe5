import { hmac } from '@oslojs/crypto/hmac';
import { SHA256, sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

const encoder = new TextEncoder();

/** A new opaque refresh token: 256 random bits. */
export function newRefreshToken(): string {
  return encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The token a refresh token rotates to. Deriving it (HMAC under the server
 * secret) instead of drawing it means a replay of the same parent within the
 * grace interval yields the very same child: two tabs racing, or a client
 * whose response was lost, end up with one valid token instead of forking
 * the family or tripping reuse detection.
 */
export function nextRefreshToken(secret: Uint8Array, token: string): string {
  return encodeBase64urlNoPadding(hmac(SHA256, secret, encoder.encode(token)));
}

/** What the database stores: the token's SHA-256, never the token. */
export function hashRefreshToken(token: string): string {
  return encodeHexLowerCase(sha256(encoder.encode(token)));
}
