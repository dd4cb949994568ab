import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useDataVersionStore } from '../../lib/stores/data-version.js';
import { useToastStore } from '../../lib/stores/toasts.js';
import { installFakeBridge, type FakeBridge } from '../../test/fake-bridge.js';
import { AdjustDialog } from './AdjustDialog.js';
import { CountDialog } from './CountDialog.js';
import type { StockRow } from './VariantSummary.js';

const ROW: StockRow = {
  variantId: '01890000-0000-7000-8000-000000000001',
  sku: 'HOOD-BLK-M',
  title: 'M',
  productId: '01890000-0000-7000-8000-0000000000aa',
  productName: 'Trail hoodie',
  onHand: 10,
  reserved: 2,
  available: 8,
  lowStockThreshold: 5,
};
const level = (onHand: number) => ({
  variantId: ROW.variantId,
  locationId: '01890000-0000-7000-8000-0000000000bb',
  onHand,
  reserved: 2,
  available: onHand - 2,
  lowStock: false,
  oversold: false,
});

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useToastStore.setState({ toasts: [] });
  useDataVersionStore.setState({ versions: {} });
});

/** The error message wired to a field through aria-describedby (null when the field has none). */
function errorOf(label: RegExp): string | null {
  const ids = screen.getByLabelText(label).getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.find((id) => id.endsWith('-error'));
  return error ? (document.getElementById(error)?.textContent ?? null) : null;
}

const sent = (channel: string) => fake.calls.filter((c) => c.channel === channel);

describe('AdjustDialog', () => {
  it('shows empty and wrong-signed input on the fields and sends nothing', async () => {
    const user = userEvent.setup();
    render(<AdjustDialog variant={ROW} onClose={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));
    expect(errorOf(/Change/)).toBe('Enter the change in units, e.g. 5 or -3');
    expect(errorOf(/Reason/)).toBe('Choose a reason');
    await user.type(screen.getByLabelText(/Change/), '4');
    await user.selectOptions(screen.getByLabelText(/Reason/), 'damage');
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));
    expect(errorOf(/Change/)).toMatch(/removes stock: enter a negative number/);
    expect(screen.getByLabelText(/Change/).getAttribute('aria-invalid')).toBe('true');
    expect(sent('stock:adjust')).toEqual([]);
  });

  it('sends the adjustment with Enter, previews the level, tells the result and closes', async () => {
    fake.answer('stock:adjust', level(7));
    const onClose = vi.fn();
    const user = userEvent.setup();
    render(<AdjustDialog variant={ROW} onClose={onClose} />);
    await user.selectOptions(screen.getByLabelText(/Reason/), 'damage');
    await user.type(screen.getByLabelText(/Note/), 'Dropped');
    await user.type(screen.getByLabelText(/Change/), '-3');
    expect(screen.getByLabelText('becomes 7')).toBeTruthy();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent('stock:adjust').map((c) => c.input)).toEqual([
      { variantId: ROW.variantId, delta: -3, reason: 'damage', note: 'Dropped' },
    ]);
    expect(useToastStore.getState().toasts[0]?.title).toBe('HOOD-BLK-M: 7 on hand');
    expect(useDataVersionStore.getState().versions.stock_levels).toBe(1);
  });

  it("puts the host's field messages on the field, and other failures in a banner", async () => {
    fake.fail('stock:adjust', 'validation_failed', 'invalid', [{ path: 'delta', message: 'is too large' }]);
    const onClose = vi.fn();
    const user = userEvent.setup();
    render(<AdjustDialog variant={ROW} onClose={onClose} />);
    await user.selectOptions(screen.getByLabelText(/Reason/), 'received');
    await user.type(screen.getByLabelText(/Change/), '5{Enter}');
    await waitFor(() => expect(errorOf(/Change/)).toBe('is too large'));
    fake.fail('stock:adjust', 'not_found', 'Variant not found');
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Variant not found');
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('CountDialog', () => {
  it('starts expected at the level on hand and sends the count', async () => {
    fake.answer('stock:count', level(9));
    const onClose = vi.fn();
    const user = userEvent.setup();
    render(<CountDialog variant={ROW} onClose={onClose} />);
    expect(screen.getByLabelText(/Expected/)).toHaveProperty('value', '10');
    await user.click(screen.getByRole('button', { name: 'Save count' }));
    expect(errorOf(/Counted/)).toBe('Enter the number of units you counted');
    expect(sent('stock:count')).toEqual([]);
    await user.type(screen.getByLabelText(/Counted/), '9{Enter}');
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent('stock:count').map((c) => c.input)).toEqual([{ variantId: ROW.variantId, counted: 9, expected: 10 }]);
  });
});
