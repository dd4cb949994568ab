import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { Route, Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { useDataVersionStore } from '../../../lib/stores/data-version.js';
import { useSyncStore } from '../../../lib/stores/sync.js';
import { type FakeBridge, installFakeBridge, syncStatus } from '../../../test/fake-bridge.js';
import { useLocalEdits } from '../local-edits.js';
import { ProductDetailScreen } from '../ProductDetailScreen.js';
import { P, tee, V2 } from '../test-fixtures.js';
import { refuseFile } from './ImagesCard.js';

let fake: FakeBridge;
const calls = (channel: string) => fake.calls.filter((c) => c.channel === channel).map((c) => c.input);

function open(path: string) {
  window.location.hash = `#${path}`;
  render(
    <Router hook={useHashLocation}>
      <Route path="/products/:id" component={ProductDetailScreen} />
    </Router>,
  );
}
const field = (name: string | RegExp) => screen.getByLabelText<HTMLInputElement>(name);
const type = (name: string | RegExp, value: string) => fireEvent.change(field(name), { target: { value } });
const save = () => fireEvent.click(screen.getByRole('button', { name: /^(Save|Create product)$/ }));
// aria-describedby may name the hint too: the message is the first id.
const errorOf = (input: HTMLElement) =>
  document.getElementById((input.getAttribute('aria-describedby') ?? '').split(' ')[0] ?? '')?.textContent;

beforeEach(() => {
  fake = installFakeBridge();
  useDataVersionStore.setState({ versions: {} });
  useLocalEdits.getState().clear();
  useSyncStore.getState().setStatus(syncStatus({ pending: 1 }));
  fake.answer('settings:get', { serverUrl: 'http://127.0.0.1:3000', storeRecovery: null });
  fake.answer('categories:list', { items: [] });
  fake.answer('catalog:get', tee);
  fake.answer('media:pending', { items: [], pending: 0, failed: 0 });
});

// First in the file: the guard steps back over the history entry a navigation added, and the
// history of this file's window (happy-dom) keeps every earlier test's entries, such as
// '#/products/new', which a late step back would open instead.
describe('leaving the editor', () => {
  it('asks before leaving with unsaved changes, and leaves when told to', async () => {
    open(`/products/${P}`);
    await screen.findByDisplayValue('Tee');
    type(/^Name/, 'Changed');
    await screen.findByText('Unsaved changes');
    act(() => {
      window.location.hash = '#/orders';
    });
    const dialog = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    expect(window.location.hash).toBe(`#/products/${P}`);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Discard changes' }));
    await waitFor(() => expect(window.location.hash).toBe('#/orders'));
  });
});

describe('new product', () => {
  it('shows what is missing on the fields and sends nothing', async () => {
    open('/products/new');
    await screen.findByRole('heading', { name: 'New product' });
    save();
    await waitFor(() => expect(errorOf(field(/^Name/))).toBe('Give the product a name'));
    expect(errorOf(field('SKU, variant 1'))).toBe('Enter a SKU');
    expect(errorOf(field('Price, variant 1'))).toBe('Enter a price');
    expect(calls('catalog:createProduct')).toEqual([]);
  });

  it('creates the product in cents and opens it', async () => {
    fake.answer('catalog:createProduct', (input) => ({
      ok: true,
      value: { ...tee, id: (input as { id: string }).id },
    }));
    open('/products/new');
    await screen.findByRole('heading', { name: 'New product' });
    type(/^Name/, 'Mug');
    type('SKU, variant 1', 'MUG-1');
    type('Price, variant 1', '12.50');
    type('Opening stock, variant 1', '7');
    save();
    await waitFor(() => expect(calls('catalog:createProduct').length).toBe(1));
    const [input] = calls('catalog:createProduct') as { id: string }[];
    expect(input).toMatchObject({
      name: 'Mug',
      status: 'draft',
      variants: [{ sku: 'MUG-1', priceCents: 1250, initialStock: 7 }],
    });
    await waitFor(() => expect(window.location.hash).toBe(`#/products/${input!.id}`));
    expect(useLocalEdits.getState().edited[input!.id]).toBeDefined();
  });
});

describe('existing product', () => {
  it('sends only the changed product field', async () => {
    fake.answer('catalog:updateProduct', { ...tee, name: 'Better tee' });
    open(`/products/${P}`);
    await screen.findByDisplayValue('Tee');
    type(/^Name/, 'Better tee');
    await screen.findByText('Unsaved changes');
    save();
    await waitFor(() =>
      expect(calls('catalog:updateProduct')).toEqual([{ productId: P, patch: { name: 'Better tee' } }]),
    );
    expect(calls('catalog:updateVariant')).toEqual([]);
    await waitFor(() => expect(screen.queryByText('Unsaved changes')).toBeNull());
    // Edited here while the outbox is not empty: marked as not synced yet.
    expect(screen.getByText('Not synced')).toBeTruthy();
  });

  it("puts the host's refusal of a variant on that variant's field", async () => {
    fake.fail('catalog:updateVariant', 'validation_failed', 'invalid input', [
      { path: 'patch.priceCents', message: 'price is above the store maximum' },
    ]);
    open(`/products/${P}`);
    await screen.findByDisplayValue('Tee');
    type('Price, M', '999.00');
    save();
    await waitFor(() => expect(errorOf(field('Price, M'))).toBe('price is above the store maximum'));
    expect(calls('catalog:updateVariant')).toEqual([{ variantId: V2, patch: { priceCents: 99_900 } }]);
    expect(screen.getByRole('alert').textContent).toContain('Check the highlighted fields');
  });

  it('refuses a negative cost before sending anything', async () => {
    open(`/products/${P}`);
    await screen.findByDisplayValue('Tee');
    type('Cost, S', '-1');
    save();
    await waitFor(() => expect(errorOf(field('Cost, S'))).toBe('must not be negative'));
    expect(calls('catalog:updateVariant')).toEqual([]);
  });

  it('archives only after confirmation', async () => {
    fake.answer('catalog:archiveProduct', { ...tee, status: 'archived' });
    open(`/products/${P}`);
    await screen.findByDisplayValue('Tee');
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    const dialog = await screen.findByRole('dialog', { name: 'Archive this product?' });
    expect(calls('catalog:archiveProduct')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Archive product' }));
    await waitFor(() => expect(calls('catalog:archiveProduct')).toEqual([{ productId: P }]));
  });

  it('shows queued pictures as waiting while offline, and a failed one with Retry', async () => {
    useSyncStore.getState().setStatus(syncStatus({ online: false, state: 'offline' }));
    const upload = {
      productId: P,
      alt: null,
      mimeType: 'image/png' as const,
      bytes: 10,
      width: 1,
      height: 1,
      attempts: 0,
      preview: 'data:image/webp;base64,AAAA',
      createdAt: new Date().toISOString(),
    };
    fake.answer('media:pending', {
      items: [
        {
          ...upload,
          id: '01890000-0000-7000-8000-0000000000f1',
          fileName: 'front.png',
          status: 'pending',
          lastError: null,
        },
        {
          ...upload,
          id: '01890000-0000-7000-8000-0000000000f2',
          fileName: 'back.png',
          status: 'failed',
          lastError: 'too small',
        },
      ],
      pending: 1,
      failed: 1,
    });
    fake.answer('media:retry', (input) => ({
      ok: true,
      value: { ...upload, ...(input as { id: string }), fileName: 'back.png', status: 'pending', lastError: null },
    }));
    open(`/products/${P}`);
    expect(await screen.findByText('Waiting to upload')).toBeTruthy();
    expect(screen.getByText('too small')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(calls('media:retry')).toEqual([{ id: '01890000-0000-7000-8000-0000000000f2' }]));
    expect(refuseFile({ name: 'a.gif', type: 'image/gif', size: 10 })).toMatch(/only JPEG, PNG and WebP/);
    expect(refuseFile({ name: 'b.png', type: 'image/png', size: 11 * 1024 * 1024 })).toMatch(/larger than 10 MB/);
    expect(refuseFile({ name: 'c.webp', type: 'image/webp', size: 1000 })).toBeNull();
  });

  it('says so when the product is not on this device', async () => {
    fake.fail('catalog:get', 'not_found', 'Product not found');
    open('/products/01890000-0000-7000-8000-0000000000ee');
    expect(await screen.findByText('This product is not on this device')).toBeTruthy();
  });
});
