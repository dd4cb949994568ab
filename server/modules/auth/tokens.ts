import { createHash, randomBytes } from 'node:crypto';

/** An opaque secret for the client; only its SHA-256 is stored, so a database leak reveals no tokens. */
export function newOpaqueToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
