import { act, render, renderHook, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import { beforeEach, describe, expect, it } from 'vitest';
import { installFakeBridge, type FakeBridge } from '../test/fake-bridge.js';
import { bumpTables, useDataVersionStore } from './stores/data-version.js';
import { useChannel } from './use-channel.js';
import { usePagedList } from './use-paged-list.js';

let fake: FakeBridge;
beforeEach(() => {
  fake = installFakeBridge();
  useDataVersionStore.setState({ versions: {} });
});

/** A reviews:list over `total` fake rows (the host caps totals at 1000). */
function serveReviews(total: number) {
  fake.answer('reviews:list', (input) => {
    const { limit = 50, offset = 0 } = input as { limit?: number; offset?: number };
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => ({ n: offset + i }));
    return { ok: true, value: { items, total: Math.min(total, 1000), totalCapped: total > 1000 } as never };
  });
}
const offsets = () =>
  fake.calls.filter((c) => c.channel === 'reviews:list').map((c) => (c.input as { offset: number }).offset);

describe('useChannel', () => {
  it('loads, and loads again when a table it reads changes, keeping the old value meanwhile', async () => {
    let n = 0;
    fake.answer('settings:get', () => ({ ok: true, value: { serverUrl: `http://s${++n}`, storeRecovery: null } }));
    const { result } = renderHook(() => useChannel('settings:get', {}, { tables: ['orders'] }));
    await waitFor(() => expect(result.current.data?.serverUrl).toBe('http://s1'));
    act(() => bumpTables(['products']));
    act(() => bumpTables(['orders']));
    expect(result.current.data?.serverUrl).toBe('http://s1');
    await waitFor(() => expect(result.current.data?.serverUrl).toBe('http://s2'));
    expect(n).toBe(2);
  });

  it('sends no input at all when given none (not null)', async () => {
    fake.answer('sync:status', () => ({ ok: true, value: { online: true } as never }));
    const { result } = renderHook(() => useChannel('sync:status', undefined as never));
    await waitFor(() => expect(result.current.data).toEqual({ online: true }));
    expect(fake.calls.map((c) => c.input)).toEqual([undefined]);
  });

  it('exposes the error of a failed call', async () => {
    fake.fail('orders:get', 'not_found', 'No such order');
    const { result } = renderHook(() => useChannel('orders:get', { id: '01890000-0000-7000-8000-000000000001' }));
    await waitFor(() => expect(result.current.error).toMatchObject({ code: 'not_found' }));
    expect(result.current.loading).toBe(false);
  });
});

describe('usePagedList', () => {
  it('fetches only the pages of the visible range', async () => {
    serveReviews(500);
    const { result } = renderHook(() => usePagedList('reviews:list', { status: 'pending' }, { pageSize: 50 }));
    await waitFor(() => expect(result.current.rowCount).toBe(500));
    expect(result.current.getRow(0)).toEqual({ n: 0 });
    expect(result.current.getRow(120)).toBeUndefined();
    act(() => result.current.onRangeChange(110, 160));
    await waitFor(() => expect(result.current.getRow(120)).toEqual({ n: 120 }));
    expect(offsets()).toEqual([0, 100, 150]);
    expect((fake.calls[0]!.input as { status: string }).status).toBe('pending');
  });

  it('past a capped total, grows one page at a time until a short page ends it', async () => {
    serveReviews(1130);
    const { result } = renderHook(() => usePagedList('reviews:list', {}, { pageSize: 100 }));
    await waitFor(() => expect(result.current.totalCapped).toBe(true));
    expect(result.current.rowCount).toBe(1000);
    act(() => result.current.onRangeChange(990, 1000));
    await waitFor(() => expect(result.current.rowCount).toBe(1100));
    act(() => result.current.onRangeChange(1090, 1100));
    await waitFor(() => expect(result.current.rowCount).toBe(1200));
    act(() => result.current.onRangeChange(1190, 1200));
    await waitFor(() => expect(result.current.rowCount).toBe(1130));
    expect(result.current.getRow(1129)).toEqual({ n: 1129 });
  });

  it('asks once for the first page when a table below it reports its range on mount', async () => {
    serveReviews(300);
    // Like DataTable: a child whose effect reports the visible rows, which runs before the hook's own effects.
    function Rows({ onRangeChange }: { onRangeChange: (start: number, end: number) => void }) {
      useEffect(() => onRangeChange(0, 30), [onRangeChange]);
      return null;
    }
    let rowCount = 0;
    function List() {
      const list = usePagedList('reviews:list', {}, { pageSize: 100 });
      rowCount = list.rowCount;
      return <Rows onRangeChange={list.onRangeChange} />;
    }
    render(<List />);
    await waitFor(() => expect(rowCount).toBe(300));
    expect(offsets()).toEqual([0]);
  });

  it('starts over when its filter changes, dropping an answer for the old filter', async () => {
    serveReviews(300);
    const { result, rerender } = renderHook(
      ({ status }) => usePagedList('reviews:list', { status }, { pageSize: 100 }),
      {
        initialProps: { status: 'pending' as 'pending' | 'approved' },
      },
    );
    await waitFor(() => expect(result.current.rowCount).toBe(300));
    rerender({ status: 'approved' });
    expect(result.current.rowCount).toBe(0);
    await waitFor(() => expect(result.current.rowCount).toBe(300));
    expect(fake.calls.map((c) => (c.input as { status: string }).status)).toEqual(['pending', 'approved']);
  });

  it('re-fetches the visible pages when its table changes', async () => {
    serveReviews(300);
    const { result } = renderHook(() => usePagedList('reviews:list', {}, { pageSize: 100, tables: ['reviews'] }));
    await waitFor(() => expect(result.current.rowCount).toBe(300));
    act(() => bumpTables(['reviews']));
    await waitFor(() => expect(offsets()).toEqual([0, 0]));
  });
});
