import { z } from 'zod';
import { emailField, nameField, passwordField } from './common.schemas.js';

export const ROLES = ['customer', 'staff', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

export const registerBody = z.strictObject({ email: emailField, password: passwordField, name: nameField });
export const loginBody = z.strictObject({ email: emailField, password: z.string().min(1).max(256) });
export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(512) });
export const passwordResetBody = z.strictObject({ email: emailField });
export const passwordResetConfirmBody = z.strictObject({
  token: z.string().min(1).max(512),
  password: passwordField,
});

export const authResult = z
  .object({
    user: userSchema,
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().meta({ description: 'access token lifetime in seconds' }),
  })
  .meta({ id: 'AuthResult' });
export type AuthResult = z.infer<typeof authResult>;
