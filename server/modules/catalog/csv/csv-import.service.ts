import type { Readable } from 'node:stream';
import { TransactionRollbackError } from 'drizzle-orm';
import { newId } from '../../../../shared/domain/ids.js';
import type { Db } from '../../../db/client.js';
import { applyPlans } from './csv-apply.js';
import { groupRows, type ProductDraft } from './csv-group.js';
import { loadLookup } from './csv-lookup.js';
import { planProduct, type Plan } from './csv-plan.js';
import { readCsv, type ReadLimits } from './csv-read.js';
import type { CsvIssue } from './csv-rows.js';

/** Import limits; the route passes these, tests pass smaller ones. */
export const CSV_MAX_BYTES = 20 * 1024 * 1024;
export const CSV_MAX_ROWS = 50_000;
/** A report longer than this helps nobody: the rest is summarised in one last entry. */
export const MAX_REPORTED_ISSUES = 1000;

export interface ImportSummary {
  products: number;
  variants: number;
  created: number;
  updated: number;
  unchanged: number;
  variantsRemoved: number;
  stockMovements: number;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  /** The ledger reference suffix (`import:<batchId>`) of the movements, when the import committed. */
  batchId: string | null;
  errors: CsvIssue[];
  summary: ImportSummary;
}

export interface ImportOptions {
  dryRun: boolean;
  actorId: string | null;
  limits?: ReadLimits;
}

class Rollback extends Error {}

function report(issues: CsvIssue[]): CsvIssue[] {
  const seen = new Set<string>();
  const unique = issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => a.issue.line - b.issue.line || a.order - b.order)
    .map((x) => x.issue)
    .filter((i) => {
      // One message per cell: the first stage that noticed it explains it best.
      const key = `${i.line}\u0000${i.column ?? i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  if (unique.length <= MAX_REPORTED_ISSUES) return unique;
  const rest = unique.length - MAX_REPORTED_ISSUES;
  return [
    ...unique.slice(0, MAX_REPORTED_ISSUES),
    { line: unique[MAX_REPORTED_ISSUES]!.line, message: `… and ${rest} more` },
  ];
}

function summarise(drafts: ProductDraft[], plans: Plan[], stockMovements: number): ImportSummary {
  return {
    products: drafts.length,
    variants: drafts.reduce((n, d) => n + d.variants.length, 0),
    created: plans.filter((p) => p.create).length,
    updated: plans.filter((p) => p.patch).length,
    unchanged: plans.filter((p) => p.patch === null).length,
    variantsRemoved: plans.reduce((n, p) => n + p.removedVariants, 0),
    stockMovements,
  };
}

const linesOf = (d: ProductDraft) => [d.line, ...d.variants.map((v) => v.line)];

/**
 * Imports a product CSV all-or-nothing: parse (streaming), group rows into products, check
 * everything against the database, then apply inside one transaction that commits only when
 * nothing at all was wrong and this is not a dry run. A dry run goes through the very same
 * steps, writes included, and rolls back, so it reports what a real import would.
 */
export async function importProductsCsv(db: Db, source: Readable, options: ImportOptions): Promise<ImportResult> {
  const read = await readCsv(source, options.limits ?? { maxBytes: CSV_MAX_BYTES, maxRows: CSV_MAX_ROWS });
  const { products: drafts, issues: groupIssues } = groupRows(read.rows);
  const issues = [...read.issues, ...groupIssues];
  const batchId = newId();
  let plans: Plan[] = [];
  let stockMovements = 0;
  if (!read.header || read.issues.some((i) => i.line === 1)) {
    return {
      ok: false,
      dryRun: options.dryRun,
      batchId: null,
      errors: report(issues),
      summary: summarise(drafts, [], 0),
    };
  }
  try {
    await db.transaction(async (tx) => {
      const lookup = await loadLookup(tx, drafts);
      const claimed = new Map<string, number>();
      plans = drafts.flatMap((draft) => {
        const plan = planProduct(draft, lookup, issues);
        const id = plan?.existing?.id;
        if (id && claimed.has(id)) {
          issues.push({ line: draft.line, message: `updates the same product as line ${claimed.get(id)}` });
          return [];
        }
        if (id) claimed.set(id, draft.line);
        return plan ? [plan] : [];
      });
      // Products already known to be wrong are not applied: that would only add noise.
      const bad = new Set(issues.map((i) => i.line));
      const clean = plans.filter((p) => !linesOf(p.draft).some((line) => bad.has(line)));
      stockMovements = await applyPlans(tx, clean, { actorId: options.actorId, batchId }, issues);
      if (options.dryRun || issues.length > 0) throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback || err instanceof TransactionRollbackError)) throw err;
  }
  const ok = issues.length === 0;
  return {
    ok,
    dryRun: options.dryRun,
    batchId: ok && !options.dryRun ? batchId : null,
    errors: report(issues),
    summary: summarise(drafts, plans, stockMovements),
  };
}
