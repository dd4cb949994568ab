import type { DbOrTx } from '../../db/client.js';
import { notifications } from '../../db/schema/index.js';
import type { TemplateName, TemplatePayload } from './templates.js';

export interface EmailRequest<T extends TemplateName> {
  /** Unique per logical e-mail (e.g. `welcome:<userId>`): enqueuing twice sends once. */
  key: string;
  template: T;
  to: string;
  data: TemplatePayload<T>;
}

/**
 * Records an e-mail to send. Call it with the transaction of the business change, so the
 * e-mail exists if and only if the change committed.
 */
export async function enqueueEmail<T extends TemplateName>(tx: DbOrTx, email: EmailRequest<T>): Promise<void> {
  await tx
    .insert(notifications)
    .values({
      idempotencyKey: email.key,
      template: email.template,
      toAddress: email.to,
      payload: email.data as Record<string, unknown>,
    })
    .onConflictDoNothing({ target: notifications.idempotencyKey });
}
