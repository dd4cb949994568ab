/**
 * Plain words for what sync flagged: field names, stored values, queued changes by name and the
 * server's refusal codes. Pure, so each wording is tested without rendering.
 */

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  slug: 'Web address (slug)',
  description: 'Description',
  status: 'Status',
  categoryIds: 'Categories',
  tags: 'Tags',
  options: 'Options',
  sku: 'SKU',
  title: 'Variant title',
  optionValues: 'Option values',
  priceCents: 'Price',
  compareAtPriceCents: 'Compare-at price',
  costCents: 'Cost',
  currency: 'Currency',
  barcode: 'Barcode',
  weightGrams: 'Weight (g)',
  lowStockThreshold: 'Low-stock level',
  position: 'Position',
  parentId: 'Parent category',
};

const TABLE_LABELS: Record<string, string> = {
  products: 'Product',
  variants: 'Variant',
  categories: 'Category',
};

export const fieldLabel = (field: string): string =>
  FIELD_LABELS[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

export const tableLabel = (table: string): string => TABLE_LABELS[table] ?? table.replace(/_/g, ' ');

/** A stored value as text: cents as a decimal amount, lists joined, nothing as "(empty)". */
export function formatValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (field.endsWith('Cents') && typeof value === 'number') return (value / 100).toFixed(2);
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue('', v)).join(', ') : '(none)';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.every(([, v]) => typeof v !== 'object' || v === null))
      return entries.map(([k, v]) => `${k}: ${String(v)}`).join(', ');
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const MUTATION_LABELS: Record<string, string> = {
  'product.create': 'New product',
  'product.update': 'Product edit',
  'product.archive': 'Product archived',
  'variant.create': 'New variant',
  'variant.update': 'Variant edit',
  'category.create': 'New category',
  'category.update': 'Category edit',
  'stock.adjust': 'Stock adjustment',
  'stock.count': 'Stock count',
  'order.fulfill': 'Order marked as shipped',
  'order.cancel': 'Order cancelled',
  'order.note': 'Note on an order',
  'review.moderate': 'Review moderated',
};

export const mutationLabel = (name: string): string => MUTATION_LABELS[name] ?? name;

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The few arguments that say what the change was (ids are left out: they mean nothing to a person). */
export function mutationSummary(name: string, args: unknown): string {
  const a = (args ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'stock.adjust':
      return `${Number(a.delta) > 0 ? '+' : ''}${str(a.delta)} units (${str(a.reason)})${a.note ? `: ${str(a.note)}` : ''}`;
    case 'stock.count':
      return `counted ${str(a.counted)}${a.expected !== undefined ? `, expected ${str(a.expected)}` : ''}`;
    case 'product.update':
    case 'variant.update':
    case 'category.update': {
      const patch = (a.patch ?? {}) as Record<string, unknown>;
      return Object.entries(patch)
        .map(([field, value]) => `${fieldLabel(field)} → ${formatValue(field, value)}`)
        .join('; ');
    }
    case 'product.create':
    case 'category.create':
      return str(a.name);
    case 'variant.create':
      return `SKU ${str(a.sku)}`;
    case 'order.fulfill':
      return `${str(a.carrier)} ${str(a.trackingNumber)}`.trim();
    case 'order.cancel':
      return str(a.reason);
    case 'order.note':
      return `“${str(a.note)}”`;
    case 'review.moderate':
      return str(a.status);
    default:
      return '';
  }
}

const CODE_REASONS: Record<string, string> = {
  validation_failed: 'The server did not accept the values.',
  not_found: 'What it changed no longer exists on the server (someone deleted it).',
  conflict: 'It clashed with a change someone else made first.',
  invalid_order_transition: 'The order had already moved on (shipped, cancelled or refunded) on the server.',
  forbidden: 'Your account is not allowed to do this.',
  unauthorized: 'Your session had ended.',
  product_archived: 'The product was archived on the server meanwhile, so the edit was not applied.',
  needs_connection: 'This cannot wait in a queue (it moves money): do it again from its page while online.',
};

/** Why the server said no, in a sentence; its own message follows in the UI. */
export const rejectionReason = (code: string): string => CODE_REASONS[code] ?? 'The server refused it.';
