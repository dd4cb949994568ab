/** An order detail as the host answers it, for the orders tests. */
import type { OrderDetail } from '../../../../shared/contract/backoffice.js';

export const ORDER_ID = '01890000-0000-7000-8000-000000000010';
export const VARIANT_A = '01890000-0000-7000-8000-0000000000a1';
export const VARIANT_B = '01890000-0000-7000-8000-0000000000b1';

export function orderFixture(patch: Partial<OrderDetail> = {}): OrderDetail {
  return {
    id: ORDER_ID,
    number: 'NX-100042',
    status: 'paid',
    email: 'ada@example.com',
    items: [
      {
        variantId: VARIANT_A,
        sku: 'HOOD-M',
        name: 'Hoodie (M)',
        quantity: 2,
        unitPriceCents: 2500,
        lineTotalCents: 5000,
      },
      { variantId: VARIANT_B, sku: 'CAP-1', name: 'Cap', quantity: 1, unitPriceCents: 1000, lineTotalCents: 1000 },
    ],
    subtotalCents: 6000,
    shippingCents: 500,
    taxCents: 0,
    totalCents: 6500,
    currency: 'USD',
    shippingAddress: { name: 'Ada Lovelace', line1: '1 Main St', city: 'London', postalCode: 'N1', country: 'GB' },
    billingAddress: null,
    payment: { provider: 'test', status: 'succeeded' },
    fulfillment: null,
    expiresAt: null,
    paidAt: '2026-01-02T10:05:00.000Z',
    createdAt: '2026-01-02T10:00:00.000Z',
    updatedAt: '2026-01-02T10:05:00.000Z',
    needsAttention: false,
    attentionReason: null,
    refundedCents: 0,
    cancellationReason: null,
    timeline: [],
    pendingNotes: [],
    ...patch,
  };
}
