import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Column, DataTable } from './DataTable.js';

interface Row {
  id: number;
  name: string;
}
const columns: Column<Row>[] = [
  { key: 'id', header: 'Id', width: '80px', render: (r) => r.id },
  { key: 'name', header: 'Name', render: (r) => r.name },
];
const ROWS = 100_000;
const rowAt = (i: number): Row => ({ id: i, name: `Product ${i}` });

// happy-dom lays nothing out: give the scroll box a real-looking viewport (34px header + 20 rows of 32px).
const VIEWPORT = 34 + 20 * 32;
const original = Object.getOwnPropertyDescriptors(HTMLElement.prototype);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEWPORT });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
});
afterAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', original.clientHeight ?? {});
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', original.clientWidth ?? {});
});

const dataRows = () => screen.getAllByRole('row').filter((row) => row.getAttribute('aria-rowindex') !== '1');
const indexes = () => dataRows().map((row) => Number(row.getAttribute('aria-rowindex')) - 2);

describe('DataTable', () => {
  it('renders only the visible rows of 100k (plus overscan) and asks for that range', async () => {
    const onRangeChange = vi.fn();
    render(
      <DataTable label="Products" columns={columns} rowCount={ROWS} getRow={rowAt} onRangeChange={onRangeChange} />,
    );
    const grid = screen.getByRole('grid', { name: 'Products' });
    expect(grid.getAttribute('aria-rowcount')).toBe(String(ROWS + 1));
    const shown = dataRows();
    expect(shown.length).toBeGreaterThanOrEqual(20);
    expect(shown.length).toBeLessThan(50);
    expect(shown[0]!.textContent).toContain('Product 0');
    await waitFor(() => expect(onRangeChange).toHaveBeenCalledWith(0, shown.length));
    // A sticky header row is always first.
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Id', 'Name']);
  });

  it('shows a loading placeholder for rows not fetched yet', () => {
    render(<DataTable label="T" columns={columns} rowCount={100} getRow={(i) => (i < 5 ? rowAt(i) : undefined)} />);
    const rows = dataRows();
    expect(rows[4]!.getAttribute('aria-busy')).toBeNull();
    expect(rows[5]!.getAttribute('aria-busy')).toBe('true');
  });

  it('moves the active row with the keyboard, jumps to the end of 100k, and opens with Enter', async () => {
    const onActivate = vi.fn();
    render(<DataTable label="T" columns={columns} rowCount={ROWS} getRow={rowAt} onActivate={onActivate} />);
    const grid = screen.getByRole('grid');
    // happy-dom does not scroll: emulate a browser's scrollTo (move, then fire 'scroll').
    let scrollTop = 0;
    Object.defineProperty(grid, 'scrollTop', { configurable: true, get: () => scrollTop });
    Object.defineProperty(grid, 'scrollHeight', { configurable: true, get: () => 34 + ROWS * 32 });
    const scrollTo = vi.fn((options: ScrollToOptions) => {
      scrollTop = options.top ?? scrollTop;
      grid.dispatchEvent(new Event('scroll'));
    });
    grid.scrollTo = scrollTo as typeof grid.scrollTo;
    act(() => grid.focus());
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    expect(screen.getByRole('row', { selected: true }).getAttribute('aria-rowindex')).toBe('3');
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onActivate).toHaveBeenCalledWith(rowAt(1), 1);

    fireEvent.keyDown(grid, { key: 'End' });
    // The last row's bottom edge at the viewport's bottom.
    expect(scrollTo).toHaveBeenLastCalledWith(expect.objectContaining({ top: 34 + ROWS * 32 - VIEWPORT }));
    await waitFor(() => expect(indexes()).toContain(ROWS - 1));
    expect(dataRows().length).toBeLessThan(50);
    expect(grid.getAttribute('aria-activedescendant')).toMatch(new RegExp(`r${ROWS - 1}$`));
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onActivate).toHaveBeenLastCalledWith(rowAt(ROWS - 1), ROWS - 1);
    fireEvent.keyDown(grid, { key: 'Home' });
    await waitFor(() => expect(indexes()).toContain(0));
  });

  it('double click opens a row; a sortable header calls onSort', () => {
    const onActivate = vi.fn();
    const onSort = vi.fn();
    render(
      <DataTable
        label="T"
        columns={[{ ...columns[0]!, sortable: true }, columns[1]!]}
        rowCount={10}
        getRow={rowAt}
        onActivate={onActivate}
        sort={{ key: 'id', direction: 'desc' }}
        onSort={onSort}
      />,
    );
    fireEvent.doubleClick(dataRows()[3]!);
    expect(onActivate).toHaveBeenCalledWith(rowAt(3), 3);
    const header = screen.getAllByRole('columnheader')[0]!;
    expect(header.getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(screen.getByRole('button', { name: /Id/ }));
    expect(onSort).toHaveBeenCalledWith('id');
  });

  it('shows the empty state when there are no rows', () => {
    render(<DataTable label="T" columns={columns} rowCount={0} getRow={rowAt} empty={<p>No products match</p>} />);
    expect(screen.getByText('No products match')).toBeTruthy();
    expect(screen.queryByRole('grid')).toBeNull();
  });
});
