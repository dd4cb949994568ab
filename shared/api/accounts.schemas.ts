import { z } from 'zod';
import { emailField, nameField, passwordField } from './common.schemas.js';

export const updateMeBody = z
  .strictObject({
    name: nameField.optional(),
    email: emailField.optional(),
    password: passwordField.optional(),
    currentPassword: z.string().min(1).max(256).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' })
  .refine((b) => (b.email === undefined && b.password === undefined) || b.currentPassword !== undefined, {
    message: 'is required to change e-mail or password',
    path: ['currentPassword'],
  });

const text = (max: number) => z.string().trim().min(1, { message: 'is required' }).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

const addressFields = {
  name: text(120),
  company: optionalText(120),
  line1: text(200),
  line2: optionalText(200),
  city: text(120),
  region: optionalText(120),
  postalCode: text(20),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
    .transform((c) => c.toUpperCase()),
  phone: optionalText(40),
  isDefault: z.boolean().optional(),
};

export const addressInput = z.strictObject(addressFields);
export const addressPatch = z
  .strictObject(addressFields)
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' });

export const addressSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    company: z.string().nullable(),
    line1: z.string(),
    line2: z.string().nullable(),
    city: z.string(),
    region: z.string().nullable(),
    postalCode: z.string(),
    country: z.string(),
    phone: z.string().nullable(),
    isDefault: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Address' });
export type Address = z.infer<typeof addressSchema>;
export type AddressInput = z.infer<typeof addressInput>;
