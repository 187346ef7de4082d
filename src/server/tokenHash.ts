// How tokens are kept: HMAC-SHA256, under a random key made for each database, of the token's
// SHA-256. Keying the SHA-256 (rather than the token) let the migration that introduced the key
// rehash the rows stored before it, which held the plain SHA-256, so their tokens keep working.

import { createHash, createHmac, randomBytes } from 'crypto';

export function newToken(): string {
  return 'brt_' + randomBytes(32).toString('base64url');
}

export function newTokenKey(): Buffer {
  return randomBytes(32);
}

/** A token's SHA-256 (hex): what databases before the key stored. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** What the database keeps for a token whose SHA-256 is `digest`. */
export function keyedHash(key: Buffer, digest: string): string {
  return createHmac('sha256', key).update(digest, 'utf8').digest('hex');
}
