import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import type { BridgeResult, ChannelOutput } from '../../../../shared/contract/backoffice.js';
import { useDataVersionStore } from '../../lib/stores/data-version.js';
import { type FakeBridge, installFakeBridge } from '../../test/fake-bridge.js';
import { resetProductsView } from './products-view.js';
import { ProductsScreen } from './ProductsScreen.js';
import { listItem } from './test-fixtures.js';
import { resetProductSearch } from './use-product-search.js';

type List = ChannelOutput<'catalog:list'>;
type Search = ChannelOutput<'catalog:search'>;

// happy-dom lays nothing out: give every scroll box a viewport of 20 rows, as DataTable's own test does.
const original = Object.getOwnPropertyDescriptors(HTMLElement.prototype);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 34 + 20 * 32 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
});
afterAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', original.clientHeight ?? {});
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', original.clientWidth ?? {});
});

let fake: FakeBridge;
/** A catalog of `total` products (counted up to 1000, as the host does). */
function serveCatalog(total: number) {
  fake.answer('catalog:list', (input) => {
    const { limit = 50, offset = 0 } = input as { limit?: number; offset?: number };
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => listItem(offset + i));
    const value: List = { items, total: Math.min(total, 1000), totalCapped: total > 1000 };
    return { ok: true, value };
  });
}
const hits = (...names: string[]): Search => ({
  items: names.map((name, i) => ({ ...listItem(900 + i, { name }), score: -i })),
});
const listCalls = () =>
  fake.calls.filter((c) => c.channel === 'catalog:list').map((c) => c.input as Record<string, unknown>);
const searchCalls = () => fake.calls.filter((c) => c.channel === 'catalog:search').map((c) => c.input);
const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelector('.product-name')?.textContent);

function renderScreen() {
  const location = memoryLocation({ path: '/products', record: true });
  render(
    <Router hook={location.hook}>
      <ProductsScreen />
    </Router>,
  );
  return location;
}

beforeEach(() => {
  fake = installFakeBridge();
  useDataVersionStore.setState({ versions: {} });
  resetProductsView();
  resetProductSearch();
  fake.answer('categories:list', { items: [] });
  serveCatalog(100_000);
});

describe('ProductsScreen', () => {
  it('pages the catalog 200 at a time, sorted by name, and shows a capped total as 1,000+', async () => {
    renderScreen();
    await waitFor(() => expect(screen.getByText('1,000+ products')).toBeTruthy());
    expect(listCalls()[0]).toEqual({ sort: 'name', limit: 200, offset: 0 });
    expect(names().slice(0, 2)).toEqual(['Product 0', 'Product 1']);
    // Only the rows in view are in the DOM, whatever the catalog's size.
    expect(screen.getAllByRole('row').length).toBeLessThan(60);
  });

  it("shows each product's prices in their own currency", async () => {
    fake.answer('catalog:list', {
      items: [
        listItem(1, { name: 'Euro mug', priceMinCents: 1250, priceMaxCents: 1250, currency: 'EUR' }),
        listItem(2, { name: 'Dollar mug', priceMinCents: 900, priceMaxCents: 1500, currency: 'USD' }),
        listItem(3, { name: 'No variants', priceMinCents: null, priceMaxCents: null, currency: null }),
      ],
      total: 3,
      totalCapped: false,
    });
    renderScreen();
    await waitFor(() => expect(names()).toEqual(['Euro mug', 'Dollar mug', 'No variants']));
    const row = (name: string) =>
      screen.getAllByRole('row').find((r) => r.querySelector('.product-name')?.textContent === name)!.textContent;
    expect(row('Euro mug')).toContain('€12.50');
    expect(row('Euro mug')).not.toContain('$');
    expect(row('Dollar mug')).toContain('$9.00 – $15.00');
    expect(row('No variants')).not.toMatch(/[$€]/);
  });

  it('sorts by a clicked column (again: the other way) and filters by status', async () => {
    renderScreen();
    await waitFor(() => expect(names()[0]).toBe('Product 0'));
    fireEvent.click(screen.getByRole('button', { name: /Price/ }));
    await waitFor(() => expect(listCalls().at(-1)).toMatchObject({ sort: 'price', offset: 0 }));
    fireEvent.click(screen.getByRole('button', { name: /Price/ }));
    await waitFor(() => expect(listCalls().at(-1)).toMatchObject({ sort: '-price' }));
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'draft' } });
    await waitFor(() => expect(listCalls().at(-1)).toMatchObject({ status: 'draft', sort: '-price' }));
  });

  it('replaces the list with search results as you type, and Esc brings the list back', async () => {
    fake.answer('catalog:search', hits('Enamel Mug'));
    renderScreen();
    await waitFor(() => expect(names()[0]).toBe('Product 0'));
    const box = screen.getByRole('searchbox', { name: 'Search products' });
    fireEvent.change(box, { target: { value: 'mug' } });
    await waitFor(() => expect(names()).toEqual(['Enamel Mug']));
    expect(searchCalls()).toEqual([{ q: 'mug', limit: 100 }]);
    expect(screen.getByText('1 match for “mug”')).toBeTruthy();
    fireEvent.keyDown(box, { key: 'Escape' });
    await waitFor(() => expect(names()[0]).toBe('Product 0'));
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('keeps the newest answer when an older search answers last', async () => {
    let releaseFirst: (value: BridgeResult<Search>) => void = () => undefined;
    fake.answer('catalog:search', (input) => {
      const { q } = input as { q: string };
      if (q === 'm') return new Promise<BridgeResult<Search>>((resolve) => (releaseFirst = resolve));
      return { ok: true, value: hits('Mug') };
    });
    renderScreen();
    const box = screen.getByRole('searchbox', { name: 'Search products' });
    fireEvent.change(box, { target: { value: 'm' } });
    await waitFor(() => expect(searchCalls().length).toBe(1));
    fireEvent.change(box, { target: { value: 'mu' } });
    await waitFor(() => expect(names()).toEqual(['Mug']));
    await act(async () => releaseFirst({ ok: true, value: hits('Mango', 'Mat') }));
    expect(names()).toEqual(['Mug']);
  });

  it('searches again when the catalog changes or the status filter does', async () => {
    fake.answer('catalog:search', hits('Mug'));
    renderScreen();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search products' }), { target: { value: 'mug' } });
    await waitFor(() => expect(names()).toEqual(['Mug']));
    fake.answer('catalog:search', hits('Mug', 'Mug Tree'));
    act(() => useDataVersionStore.getState().bump(['variants']));
    await waitFor(() => expect(names()).toEqual(['Mug', 'Mug Tree']));
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'draft' } });
    await waitFor(() => expect(searchCalls().at(-1)).toEqual({ q: 'mug', limit: 100, status: 'draft' }));
    expect(searchCalls()).toHaveLength(3);
  });

  it('does not search again for spaces around the same words', async () => {
    fake.answer('catalog:search', hits('Mug'));
    renderScreen();
    const box = screen.getByRole('searchbox', { name: 'Search products' });
    fireEvent.change(box, { target: { value: 'mug' } });
    await waitFor(() => expect(names()).toEqual(['Mug']));
    fireEvent.change(box, { target: { value: 'mug ' } });
    expect((box as HTMLInputElement).value).toBe('mug ');
    expect(searchCalls()).toHaveLength(1);
  });

  it('shows a failed search in the banner, not as "no matches"', async () => {
    fake.fail('catalog:search', 'internal', 'The search index could not be read');
    renderScreen();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search products' }), { target: { value: 'mug' } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not be read');
    expect(screen.queryByText(/No products match/)).toBeNull();
  });

  it('shows the spinner only while a search is slow', async () => {
    let release: (value: BridgeResult<Search>) => void = () => undefined;
    fake.answer('catalog:search', () => new Promise<BridgeResult<Search>>((resolve) => (release = resolve)));
    renderScreen();
    const box = screen.getByRole('searchbox', { name: 'Search products' });
    const spinner = () => box.parentElement!.querySelector('.spinner');
    fireEvent.change(box, { target: { value: 'mug' } });
    expect(spinner()).toBeNull();
    await waitFor(() => expect(spinner()).not.toBeNull(), { timeout: 1000 });
    await act(async () => release({ ok: true, value: hits('Mug') }));
    await waitFor(() => expect(names()).toEqual(['Mug']));
    expect(spinner()).toBeNull();
  });

  it('opens the editor with Enter on a row, and for a new product', async () => {
    const location = renderScreen();
    await waitFor(() => expect(names()[0]).toBe('Product 0'));
    const grid = screen.getByRole('grid', { name: 'Products' });
    act(() => grid.focus());
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(location.history.at(-1)).toBe(`/products/${listItem(1).id}`);
    fireEvent.click(screen.getByRole('button', { name: 'New product' }));
    expect(location.history.at(-1)).toBe('/products/new');
  });

  it('says when filters match nothing, and clears them', async () => {
    serveCatalog(0);
    renderScreen();
    fireEvent.change(screen.getByLabelText('Stock'), { target: { value: 'out_of_stock' } });
    const empty = await screen.findByText('No products match these filters');
    fireEvent.click(within(empty.parentElement!).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(screen.getByText('No products yet')).toBeTruthy());
    expect(listCalls().at(-1)).not.toHaveProperty('stockState');
  });

  it('shows a failed read with a way to try again', async () => {
    fake.fail('catalog:list', 'internal', 'The local store could not be read');
    renderScreen();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not be read');
    serveCatalog(3);
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(names()).toEqual(['Product 0', 'Product 1', 'Product 2']));
  });
});
