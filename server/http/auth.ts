import type { RequestHandler } from 'express';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { roleSchema, type Role } from '../../shared/api/auth.schemas.js';
import { AppError } from '../../shared/domain/errors.js';

export interface AuthContext {
  userId: string;
  role: Role;
}

const ISSUER = 'nexus';
const AUDIENCE = 'nexus-api';

export interface AccessTokenSigner {
  sign(ctx: AuthContext): Promise<string>;
  verify(token: string): Promise<AuthContext>;
  ttlSeconds: number;
}

/** Short-lived HS256 access tokens. Only HS256 is accepted, so `alg: none` and key-confusion tricks fail. */
export function accessTokens(secret: string, ttlSeconds: number): AccessTokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    ttlSeconds,
    async sign({ userId, role }) {
      return new SignJWT({ role })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ['sub', 'exp', 'iat'],
        });
        const role = roleSchema.safeParse(payload.role);
        if (!role.success || typeof payload.sub !== 'string') throw new Error('bad claims');
        return { userId: payload.sub, role: role.data };
      } catch (err) {
        const expired = err instanceof joseErrors.JWTExpired;
        throw new AppError('invalid_token', expired ? 'The access token has expired' : 'The access token is invalid', {
          headers: { 'WWW-Authenticate': `Bearer error="invalid_token"` },
        });
      }
    },
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}

/**
 * Reads a Bearer token when one is sent. A token that is present but bad is an error even on
 * public routes: the client believes it is signed in and must learn otherwise.
 */
export function authenticate(signer: AccessTokenSigner): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      return next(new AppError('invalid_token', 'The Authorization header must be "Bearer <token>"'));
    }
    req.auth = await signer.verify(match[1]);
    next();
  };
}

const RANK: Record<Role, number> = { customer: 0, staff: 1, admin: 2 };

export type Access = 'public' | 'user' | 'staff' | 'admin';

export function checkAccess(auth: AuthContext | undefined, access: Access): void {
  if (access === 'public') return;
  if (!auth) {
    throw new AppError('unauthorized', 'Sign in to use this endpoint', { headers: { 'WWW-Authenticate': 'Bearer' } });
  }
  if (access !== 'user' && RANK[auth.role] < RANK[access]) {
    throw new AppError('forbidden', `This endpoint needs the ${access} role`);
  }
}

export const requireAccess =
  (access: Access): RequestHandler =>
  (req, _res, next) => {
    checkAccess(req.auth, access);
    next();
  };
