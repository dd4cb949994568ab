import { z } from 'zod';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function layout(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f4f4f5;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#18181b">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:32px 16px">
<table role="presentation" width="100%" style="max-width:560px;background:#fff;border-radius:8px;padding:32px">
<tr><td><p style="font-weight:700;font-size:20px;margin:0 0 24px">Nexus</p>${bodyHtml}
<p style="color:#71717a;font-size:12px;margin-top:32px">You receive this e-mail because of an action on your Nexus account.</p>
</td></tr></table></td></tr></table></body></html>`;
}

const button = (href: string, label: string) =>
  `<p style="margin:24px 0"><a href="${escapeHtml(href)}" style="background:#18181b;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p>`;

interface TemplateDef<S extends z.ZodType> {
  payload: S;
  /** Payload keys scrubbed once the e-mail is sent (one-time links must not linger in the outbox). */
  sensitive?: (keyof z.output<S>)[];
  render(data: z.output<S>): RenderedEmail;
}

const define = <S extends z.ZodType>(def: TemplateDef<S>) => def;

export const templates = {
  welcome: define({
    payload: z.object({ name: z.string(), shopUrl: z.string() }),
    render: ({ name, shopUrl }) => ({
      subject: 'Welcome to Nexus',
      text: `Hello ${name},\n\nYour Nexus account is ready. Start shopping at ${shopUrl}\n\nThe Nexus team`,
      html: layout(
        'Welcome to Nexus',
        `<p>Hello ${escapeHtml(name)},</p><p>Your Nexus account is ready.</p>${button(shopUrl, 'Start shopping')}`,
      ),
    }),
  }),
  'password-reset': define({
    payload: z.object({ name: z.string(), resetUrl: z.string(), expiresInMinutes: z.number().int() }),
    sensitive: ['resetUrl'],
    render: ({ name, resetUrl, expiresInMinutes }) => ({
      subject: 'Reset your Nexus password',
      text:
        `Hello ${name},\n\nSomeone asked to reset the password of your Nexus account. ` +
        `Open this link within ${expiresInMinutes} minutes to choose a new one:\n\n${resetUrl}\n\n` +
        `If it was not you, ignore this e-mail: your password stays as it is.`,
      html: layout(
        'Reset your password',
        `<p>Hello ${escapeHtml(name)},</p><p>Someone asked to reset the password of your Nexus account. ` +
          `The link works once, within ${expiresInMinutes} minutes.</p>${button(resetUrl, 'Choose a new password')}` +
          `<p>If it was not you, ignore this e-mail: your password stays as it is.</p>`,
      ),
    }),
  }),
} satisfies Record<string, TemplateDef<z.ZodType>>;

export type TemplateName = keyof typeof templates;
export type TemplatePayload<T extends TemplateName> = z.input<(typeof templates)[T]['payload']>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

// Own keys only: a stored name like "constructor" must be "unknown", not an inherited property.
const findTemplate = (name: string): TemplateDef<z.ZodType> | undefined =>
  Object.hasOwn(templates, name) ? (templates as Record<string, TemplateDef<z.ZodType>>)[name] : undefined;

/** Renders a stored outbox row; a bad row is a permanent failure, never a retry loop. */
export function renderTemplate(name: string, payload: unknown): RenderedEmail {
  const def = findTemplate(name);
  if (!def) throw new TemplateError(`unknown e-mail template "${name}"`);
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) throw new TemplateError(`bad payload for "${name}": ${parsed.error.message}`);
  return def.render(parsed.data);
}

export function scrubPayload(name: string, payload: Record<string, unknown>): Record<string, unknown> {
  const def = findTemplate(name);
  const out = { ...payload };
  for (const key of def?.sensitive ?? []) if (key in out) out[key as string] = '[scrubbed after send]';
  return out;
}
