import { z } from 'zod';
import {
  authResult,
  loginBody,
  passwordResetBody,
  passwordResetConfirmBody,
  refreshBody,
  registerBody,
} from '../../../shared/api/auth.schemas.js';
import type { AppContext } from '../../context.js';
import { ApiRouter } from '../../http/route.js';
import * as auth from './auth.service.js';
import { emailLimiter, ipLimiter } from './rate-limit.js';

const tokenPair = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int() });

export function authRoutes(ctx: AppContext): ApiRouter {
  const limits = {
    perIp: ctx.config.LOGIN_RATE_LIMIT_PER_IP,
    perEmail: ctx.config.LOGIN_RATE_LIMIT_PER_EMAIL,
    windowSeconds: ctx.config.RATE_LIMIT_WINDOW_SECONDS,
    redis: ctx.redis,
  };
  const tags = ['Auth'];
  return new ApiRouter('/api/v1/auth')
    .add({
      method: 'post',
      path: '/register',
      summary: 'Create a customer account and sign in',
      tags,
      access: 'public',
      body: registerBody,
      status: 201,
      response: authResult,
      errors: [409, 429],
      before: [ipLimiter(limits, 'register')],
      handler: ({ body }) => auth.register(ctx, body),
    })
    .add({
      method: 'post',
      path: '/login',
      summary: 'Sign in with e-mail and password',
      tags,
      access: 'public',
      body: loginBody,
      response: authResult,
      errors: [401, 429],
      before: [ipLimiter(limits, 'login'), emailLimiter(limits, 'login', true)],
      handler: ({ body }) => auth.login(ctx, body),
    })
    .add({
      method: 'post',
      path: '/refresh',
      summary: 'Exchange a refresh token for a new token pair',
      description: 'The presented token is spent. Presenting a spent token again revokes the whole session.',
      tags,
      access: 'public',
      body: refreshBody,
      response: tokenPair,
      errors: [401],
      handler: ({ body }) => auth.refresh(ctx, body.refreshToken),
    })
    .add({
      method: 'post',
      path: '/logout',
      summary: 'End the session the refresh token belongs to',
      tags,
      access: 'public',
      body: refreshBody,
      status: 204,
      handler: ({ body }) => auth.logout(ctx, body.refreshToken),
    })
    .add({
      method: 'post',
      path: '/password-reset',
      summary: 'E-mail a one-time password reset link',
      description: 'Always answers 202, whether or not the address has an account.',
      tags,
      access: 'public',
      body: passwordResetBody,
      status: 202,
      response: z.object({ status: z.literal('accepted') }),
      errors: [429],
      before: [ipLimiter(limits, 'reset'), emailLimiter(limits, 'reset', false)],
      handler: ({ body }) => {
        // Not awaited: the answer takes the same time whether or not the account exists.
        ctx.background.run('password-reset', () => auth.requestPasswordReset(ctx, body.email));
        return { status: 'accepted' as const };
      },
    })
    .add({
      method: 'post',
      path: '/password-reset/confirm',
      summary: 'Set a new password with a reset token',
      description: 'Signs the account out of every session.',
      tags,
      access: 'public',
      body: passwordResetConfirmBody,
      status: 204,
      errors: [400, 429],
      before: [ipLimiter(limits, 'reset-confirm')],
      handler: ({ body }) => auth.confirmPasswordReset(ctx, body),
    });
}
