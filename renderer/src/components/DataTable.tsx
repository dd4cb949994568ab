/**
 * A virtualized grid: only the rows in view (plus a few) are in the DOM, so 100k rows scroll as
 * smoothly as 10. Rows come from `getRow(index)` (undefined = still loading: a placeholder row is
 * shown) and `onRangeChange` says which rows are wanted, so a screen can page them in from the host
 * (see lib/use-paged-list.ts). Keyboard: ↑ ↓ PageUp PageDown Home End move, Enter opens.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  memo,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  /** A CSS grid track: '120px', '2fr', 'minmax(160px, 3fr)'. Defaults to '1fr'. */
  width?: string;
  align?: 'start' | 'end' | 'center';
  /** The header is a sort button when the table has onSort. */
  sortable?: boolean;
  render: (row: T, index: number) => ReactNode;
}

export interface DataTableProps<T> {
  label: string;
  columns: readonly Column<T>[];
  rowCount: number;
  getRow: (index: number) => T | undefined;
  /**
   * A row's identity, when it must follow its data. Without it rows are keyed by place: a row on
   * screen is updated in place when other data comes to that place (a page loads, the list is
   * re-sorted, a search types on), which costs far less than building it again.
   */
  rowKey?: (row: T, index: number) => string;
  onRangeChange?: (start: number, end: number) => void;
  /** Enter or double click on a row. */
  onActivate?: (row: T, index: number) => void;
  /** The highlighted row; uncontrolled when omitted. */
  activeIndex?: number;
  onActiveIndexChange?: (index: number) => void;
  sort?: { key: string; direction: 'asc' | 'desc' };
  onSort?: (key: string) => void;
  /** Shown instead of rows when rowCount is 0. */
  empty?: ReactNode;
  rowHeight?: number;
}

const HEADER_HEIGHT = 34;

export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rowCount, getRow, rowHeight = 32, onRangeChange } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const [ownActive, setOwnActive] = useState(-1);
  const active = props.activeIndex ?? ownActive;
  const setActive = (index: number) => {
    setOwnActive(index);
    props.onActiveIndexChange?.(index);
  };

  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    // Until the box is measured (after the first commit), assume it fills the window: the first
    // render then has its rows, and the browser lays the screen out once with them, not twice.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  });
  const rows = virtualizer.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows.length > 0 ? rows[rows.length - 1]!.index + 1 : 0;
  useEffect(() => onRangeChange?.(first, last), [first, last, onRangeChange]);

  const move = (index: number) => {
    if (rowCount === 0) return;
    const next = Math.max(0, Math.min(rowCount - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT) / rowHeight) - 1);
    const targets: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + page,
      PageUp: active - page,
      Home: 0,
      End: rowCount - 1,
    };
    const target = targets[event.key];
    if (target !== undefined) {
      event.preventDefault();
      move(target);
    } else if (event.key === 'Enter' && active >= 0) {
      const row = getRow(active);
      if (row !== undefined) props.onActivate?.(row, active);
    }
  };

  const template = columns.map((column) => column.width ?? '1fr').join(' ');
  // Rows get one unchanging handler object (so they can skip renders); it calls this render's props.
  const latest = useRef<RowEvents<T>>({ select: setActive, activate: () => undefined });
  useLayoutEffect(() => {
    latest.current = { select: setActive, activate: (row, index) => props.onActivate?.(row, index) };
  });
  const rowEvents = useMemo<RowEvents<T>>(
    () => ({
      select: (index) => latest.current.select(index),
      activate: (row, index) => latest.current.activate(row, index),
    }),
    [],
  );
  if (rowCount === 0 && props.empty) return <div className="table-empty">{props.empty}</div>;
  return (
    <div
      ref={scrollRef}
      className="table"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rowCount + 1}
      aria-colcount={columns.length}
      aria-activedescendant={active >= 0 ? `${id}-r${active}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => active < 0 && rowCount > 0 && setActive(first)}
    >
      <div role="rowgroup" className="table-head" style={{ gridTemplateColumns: template, height: HEADER_HEIGHT }}>
        <div role="row" aria-rowindex={1} className="table-head-row" style={{ gridTemplateColumns: template }}>
          {columns.map((column) => (
            <HeaderCell key={column.key} column={column} sort={props.sort} onSort={props.onSort} />
          ))}
        </div>
      </div>
      <div role="rowgroup" className="table-body" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((item) => {
          const row = getRow(item.index);
          return (
            <TableRow
              key={row !== undefined && props.rowKey ? props.rowKey(row, item.index) : item.index}
              id={`${id}-r${item.index}`}
              row={row}
              index={item.index}
              top={item.start - HEADER_HEIGHT}
              height={item.size}
              active={item.index === active}
              columns={columns}
              template={template}
              events={rowEvents}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RowEvents<T> {
  select: (index: number) => void;
  activate: (row: T, index: number) => void;
}

interface TableRowProps<T> {
  id: string;
  /** Undefined while its page loads: a placeholder row. */
  row: T | undefined;
  index: number;
  top: number;
  height: number;
  active: boolean;
  columns: readonly Column<T>[];
  template: string;
  events: RowEvents<T>;
}

/**
 * Memoised: a row whose data, place and state are unchanged is not rendered again when the table
 * is (each key typed into a search box renders the screen around the table, sometimes twice).
 */
const TableRow = memo(function TableRow<T>({
  id,
  row,
  index,
  top,
  height,
  active,
  columns,
  template,
  events,
}: TableRowProps<T>) {
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={active}
      aria-busy={row === undefined || undefined}
      className={['table-row', active ? 'table-row-active' : '', index % 2 ? 'table-row-odd' : '']
        .filter(Boolean)
        .join(' ')}
      style={{ gridTemplateColumns: template, height, transform: `translateY(${top}px)` }}
      onClick={() => events.select(index)}
      onDoubleClick={() => row !== undefined && events.activate(row, index)}
    >
      {columns.map((column) => (
        <div key={column.key} role="gridcell" className={`table-cell align-${column.align ?? 'start'}`}>
          {row === undefined ? <span className="skeleton" /> : column.render(row, index)}
        </div>
      ))}
    </div>
  );
}) as <T>(props: TableRowProps<T>) => ReactNode;

function HeaderCell<T>({
  column,
  sort,
  onSort,
}: {
  column: Column<T>;
  sort: DataTableProps<T>['sort'];
  onSort?: (key: string) => void;
}) {
  const sorted = sort?.key === column.key ? sort.direction : undefined;
  const ariaSort = sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined;
  return (
    <div role="columnheader" aria-sort={ariaSort} className={`table-header-cell align-${column.align ?? 'start'}`}>
      {column.sortable && onSort ? (
        <button type="button" className="table-sort" onClick={() => onSort(column.key)}>
          {column.header}
          <span className="table-sort-icon" aria-hidden>
            {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
          </span>
        </button>
      ) : (
        column.header
      )}
    </div>
  );
}
