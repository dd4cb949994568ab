import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Route, Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import { useSyncStore } from '../../lib/stores/sync.js';
import { installFakeBridge, syncStatus, type FakeBridge } from '../../test/fake-bridge.js';
import { useInventoryStore } from './inventory-store.js';
import { InventoryScreen } from './InventoryScreen.js';
import type { StockRow } from './VariantSummary.js';

const uuid = (n: number) => `01890000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const row = (n: number): StockRow => ({
  variantId: uuid(n),
  sku: `SKU-${n}`,
  title: 'M',
  productId: uuid(100 + n),
  productName: `Product ${n}`,
  onHand: n,
  reserved: 0,
  available: n,
  lowStockThreshold: 2,
});
const ROWS = [row(1), row(2), row(3)];

// happy-dom lays nothing out: give the tables a viewport.
const original = Object.getOwnPropertyDescriptors(HTMLElement.prototype);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
});
afterAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', original.clientHeight ?? {});
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', original.clientWidth ?? {});
});

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useSyncStore.setState({ status: syncStatus() });
  useInventoryStore.setState({ search: '', variant: null, kind: '', range: { from: '', to: '' } });
  fake.answer('stock:levels', (input) => {
    const q = (input as { q?: string }).q;
    const items = ROWS.filter((r) => !q || r.sku.toLowerCase().startsWith(q.toLowerCase()));
    return { ok: true, value: { items, total: items.length, totalCapped: false } };
  });
  fake.answer('stock:movements', { items: [], total: 0, totalCapped: false });
});

function open(path: string) {
  const location = memoryLocation({ path, record: true });
  render(
    <Router hook={location.hook}>
      <Route path="/inventory/:tab?" component={InventoryScreen} />
    </Router>,
  );
  return location;
}
const inputs = (channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input);

describe('InventoryScreen', () => {
  it('lists stock per variant and searches by SKU through stock:levels', async () => {
    const user = userEvent.setup();
    open('/inventory');
    expect(await screen.findByText('SKU-2')).toBeTruthy();
    expect(screen.getByText('3 variants')).toBeTruthy();
    await user.type(screen.getByLabelText('Search'), 'sku-3');
    await waitFor(() => expect(screen.queryByText('SKU-1')).toBeNull());
    expect(screen.getByText('1 variant')).toBeTruthy();
    expect(inputs('stock:levels').at(-1)).toMatchObject({ q: 'sku-3' });
  });

  it('Enter on a row opens the adjust dialog for that variant', async () => {
    open('/inventory');
    await screen.findByText('SKU-1');
    const grid = screen.getByRole('grid', { name: 'Stock levels' });
    fireEvent.focus(grid);
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(await screen.findByRole('dialog', { name: 'Adjust stock' })).toBeTruthy();
    expect(screen.getByRole('dialog').textContent).toContain('Product 2');
  });

  it('History shows the movements of the picked variant', async () => {
    const user = userEvent.setup();
    const location = open('/inventory');
    await screen.findByText('SKU-1');
    fireEvent.focus(screen.getByRole('grid'));
    await user.click(screen.getByRole('button', { name: 'History' }));
    expect(location.history?.at(-1)).toBe('/inventory/movements');
    expect(useInventoryStore.getState().variant).toEqual({ id: uuid(1), sku: 'SKU-1', productName: 'Product 1' });
  });

  it('filters movements by variant (SKU then Enter), kind and dates; a backwards range stays on its field', async () => {
    const user = userEvent.setup();
    open('/inventory/movements');
    expect(await screen.findByText('No movements yet')).toBeTruthy();
    await user.type(screen.getByLabelText('Variant'), 'nope{Enter}');
    expect(await screen.findByText('No variant has the SKU “nope”')).toBeTruthy();
    await user.clear(screen.getByLabelText('Variant'));
    await user.type(screen.getByLabelText('Variant'), 'sku-2{Enter}');
    await screen.findByRole('button', { name: /Show every variant/ });
    await user.selectOptions(screen.getByLabelText('Kind'), 'damage');
    await waitFor(() => expect(inputs('stock:movements').at(-1)).toMatchObject({ variantId: uuid(2), kind: 'damage' }));
    const before = inputs('stock:movements').length;
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03-05' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-03-01' } });
    expect(await screen.findByText('The start is after the end')).toBeTruthy();
    // Only the valid "from" went out; the backwards range was never asked for.
    expect(
      inputs('stock:movements')
        .slice(before)
        .every((i) => !(i as { to?: string }).to),
    ).toBe(true);
  });

  it('opens the tab the URL names, as the sync bar links oversells', async () => {
    fake.answer('oversells:list', { items: [] });
    open('/inventory/oversells');
    expect(await screen.findByText('No oversells')).toBeTruthy();
    expect(screen.getByRole('tab', { name: /Oversells/ }).getAttribute('aria-selected')).toBe('true');
  });
});
