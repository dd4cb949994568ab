import type { AdminProduct } from '../../../../shared/api/catalog.schemas.js';
import { AppError } from '../../../../shared/domain/errors.js';
import type { Db, Tx } from '../../../db/client.js';
import { defaultLocationId, recordMovement } from '../../inventory/stock.service.js';
import { createProduct, updateProduct } from '../products.service.js';
import { onHandAt } from './csv-lookup.js';
import { issuesFromFieldErrors, NEGATIVE_STOCK, type Plan } from './csv-plan.js';
import type { CsvIssue } from './csv-rows.js';

export interface ApplyContext {
  actorId: string | null;
  /** Ledger reference of every movement this import records: `import:<batchId>`. */
  batchId: string;
}

/** Sets on-hand to the file's figures with count corrections; equal figures record nothing. */
async function applyStock(
  tx: Tx,
  plan: Plan,
  product: AdminProduct,
  locationId: string,
  ctx: ApplyContext,
  issues: CsvIssue[],
): Promise<number> {
  if (plan.stock.length === 0) return 0;
  const idBySku = new Map(product.variants.map((v) => [v.sku, v.id]));
  // Re-read under lock: the plan's figures were read without one, and sales may have happened since.
  const current = plan.create ? new Map<string, number>() : await onHandAt(tx, locationId, [...idBySku.values()], true);
  let movements = 0;
  for (const { line, sku, stock } of plan.stock) {
    const variantId = idBySku.get(sku)!;
    const onHand = current.get(variantId) ?? 0;
    if (stock === onHand) continue;
    if (stock < 0) {
      issues.push({ line, column: 'stock', message: NEGATIVE_STOCK });
      continue;
    }
    await recordMovement(tx, {
      variantId,
      locationId,
      kind: 'count_correction',
      onHandDelta: stock - onHand,
      reason: 'csv import',
      actorId: ctx.actorId,
      reference: `import:${ctx.batchId}`,
    });
    movements++;
  }
  return movements;
}

/**
 * Applies the plans through the catalog services, each product in its own savepoint so that a
 * refusal (a conflict, a variant with stock history that the file drops) is reported against
 * its line and the other products are still checked. The caller decides whether to commit.
 */
export async function applyPlans(tx: Tx, plans: Plan[], ctx: ApplyContext, issues: CsvIssue[]): Promise<number> {
  const locationId = await defaultLocationId(tx);
  let movements = 0;
  for (const plan of plans) {
    if (!plan.create && !plan.patch && plan.stock.length === 0) continue;
    try {
      movements += await tx.transaction(async (sp) => {
        // The services open a nested transaction on what they are given: here, a savepoint.
        const db = sp as unknown as Db;
        const product = plan.create
          ? await createProduct(db, plan.create, ctx.actorId)
          : plan.patch
            ? await updateProduct(db, plan.existing!.id, plan.patch)
            : plan.existing!;
        return applyStock(sp, plan, product, locationId, ctx, issues);
      });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const located = issuesFromFieldErrors(plan.draft, err.errors ?? []);
      issues.push(...(located.length > 0 ? located : [{ line: plan.draft.line, message: err.message }]));
    }
  }
  return movements;
}
