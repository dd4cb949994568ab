import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { Route, Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { useSyncStore } from '../../lib/stores/sync.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../../test/fake-bridge.js';
import { ConflictsScreen } from './ConflictsScreen.js';
import { formatValue, mutationSummary, rejectionReason } from './describe.js';

const ROW = '01890000-0000-7000-8000-000000000001';
const conflict = (id: number, field: string, serverValue: unknown, clientValue: unknown) => ({
  id,
  table: 'variants',
  rowId: ROW,
  label: 'HOOD-BLK-M',
  field,
  serverValue,
  clientValue,
  mutationId: 'm-1',
  at: '2026-01-02T00:00:00.000Z',
});

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useSyncStore.setState({ status: syncStatus({ conflicts: 2, rejections: 1 }) });
  fake.answer('conflicts:list', {
    items: [conflict(1, 'priceCents', 1999, 2499), conflict(2, 'barcode', null, '123')],
  });
  fake.answer('rejections:list', {
    items: [
      {
        id: 7,
        mutationId: 'm-7',
        name: 'stock.adjust',
        args: { variantId: ROW, delta: -3, reason: 'damage' },
        code: 'not_found',
        message: 'Variant not found',
        at: '2026-01-02T00:00:00.000Z',
      },
    ],
  });
  fake.answer('oversells:list', {
    items: [
      {
        id: 'o1',
        variantId: ROW,
        sku: 'HOOD-BLK-M',
        productName: 'Trail hoodie',
        locationId: 'l1',
        level: -2,
        createdAt: '2026-01-02T00:00:00.000Z',
      },
    ],
  });
});

function open(path: string) {
  render(
    <Router hook={memoryLocation({ path }).hook}>
      <Route path="/conflicts/:tab?" component={ConflictsScreen} />
    </Router>,
  );
}
const sent = (channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input);

describe('describing sync records', () => {
  it('formats stored values and queued changes in plain words', () => {
    expect(formatValue('priceCents', 1999)).toBe('19.99');
    expect(formatValue('tags', ['a', 'b'])).toBe('a, b');
    expect(formatValue('barcode', null)).toBe('(empty)');
    expect(formatValue('optionValues', { Size: 'M' })).toBe('Size: M');
    expect(mutationSummary('stock.adjust', { delta: -3, reason: 'damage', note: 'dropped' })).toBe(
      '-3 units (damage): dropped',
    );
    expect(mutationSummary('variant.update', { patch: { priceCents: 1500 } })).toBe('Price → 15.00');
    expect(rejectionReason('not_found')).toMatch(/no longer exists/);
    expect(rejectionReason('product_archived')).toMatch(/archived on the server/);
    expect(rejectionReason('needs_connection')).toMatch(/while online/);
    expect(rejectionReason('something_new')).toBe('The server refused it.');
  });
});

describe('ConflictsScreen', () => {
  it("shows each field's two values side by side under the row's label", async () => {
    open('/conflicts');
    const card = await screen.findByRole('region', { name: /HOOD-BLK-M/ });
    const rows = within(card).getAllByRole('row').slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .slice(0, 3)
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['Price', '19.99', '24.99'],
      ['Barcode', '(empty)', '123'],
    ]);
  });

  it('restores theirs or keeps mine through conflicts:resolve', async () => {
    fake.answer('conflicts:resolve', { id: 1, keep: 'server', queuedSeq: 4 });
    const user = userEvent.setup();
    open('/conflicts');
    await screen.findByRole('region', { name: /HOOD-BLK-M/ });
    await user.click(screen.getAllByRole('button', { name: 'Restore theirs' })[0]!);
    fake.answer('conflicts:resolve', { id: 2, keep: 'mine', queuedSeq: null });
    await user.click(screen.getAllByRole('button', { name: 'Keep mine' })[1]!);
    await waitFor(() =>
      expect(sent('conflicts:resolve')).toEqual([
        { id: 1, keep: 'server' },
        { id: 2, keep: 'mine' },
      ]),
    );
  });

  it('lists rejected changes with why, and dismisses them', async () => {
    fake.answer('rejections:dismiss', { ok: true });
    const user = userEvent.setup();
    open('/conflicts/rejections');
    expect(await screen.findByText('Stock adjustment')).toBeTruthy();
    expect(screen.getByText('-3 units (damage)')).toBeTruthy();
    expect(screen.getByText(/no longer exists on the server/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(sent('rejections:dismiss')).toEqual([{ id: 7 }]));
  });

  it('explains oversells and empty lists', async () => {
    open('/conflicts/oversells');
    expect(await screen.findByText('Trail hoodie')).toBeTruthy();
    expect(screen.getByText('-2 in stock')).toBeTruthy();
    expect(screen.getByText(/More was sold than was in stock/)).toBeTruthy();
  });

  it('says so when there is no conflict', async () => {
    fake.answer('conflicts:list', { items: [] });
    open('/conflicts');
    expect(await screen.findByText('No conflicts')).toBeTruthy();
  });
});
