/**
 * Feeds a DataTable from a paged list channel (`{limit, offset}` → `{items, total, totalCapped}`):
 * only the pages around what is on screen are asked for, so 100k rows cost a few small requests.
 * The host stops counting at 1000 (`totalCapped`): past that, the row count grows while the user
 * scrolls, one page ahead of the last full page seen.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { call } from './api.js';
import { takePrefetched } from './prefetch.js';
import { useDataVersion } from './stores/data-version.js';

type PagedChannel = {
  [K in ChannelName]: ChannelOutput<K> extends { total: number; items: unknown[] } ? K : never;
}[ChannelName];
type Item<K extends PagedChannel> = ChannelOutput<K>['items'][number];

export interface PagedList<T> {
  rowCount: number;
  /** Undefined while its page loads. */
  getRow: (index: number) => T | undefined;
  /** Give this to DataTable's onRangeChange. */
  onRangeChange: (start: number, end: number) => void;
  total: number | undefined;
  totalCapped: boolean;
  error: unknown;
  reload: () => void;
}

interface Pages<T> {
  /** Page index → rows; rows of an older generation stay shown until their refresh arrives. */
  rows: Map<number, T[]>;
  total: number | undefined;
  capped: boolean;
  /** One past the last row known to exist (grows past a capped total). */
  known: number;
  error: unknown;
}

export function usePagedList<K extends PagedChannel>(
  channel: K,
  filter: Omit<ChannelInput<K>, 'limit' | 'offset'>,
  options: { pageSize?: number; tables?: readonly string[] } = {},
): PagedList<Item<K>> {
  const pageSize = options.pageSize ?? 100;
  const version = useDataVersion(options.tables ?? []);
  const key = JSON.stringify(filter);
  // The first page may have been asked for before this screen mounted (lib/prefetch.ts): taken
  // once, it is rendered at once when it has arrived, or awaited instead of asking again.
  const [early] = useState(() => ({ key, taken: takePrefetched(channel, pageInput<K>(key, pageSize, 0)) }));
  const [pages, setPages] = useState<Pages<Item<K>>>(() => {
    const ready = early.taken?.ready?.value as Answer<Item<K>> | undefined;
    return ready ? merge(emptyPages(), 0, pageSize, ready.items, ready.total, ready.totalCapped) : emptyPages();
  });
  const pendingEarly = useRef(early.taken?.ready ? undefined : early.taken?.answer);
  const generation = useRef(0);
  const loading = useRef(new Set<number>());
  const fresh = useRef(new Set<number>(early.taken?.ready ? [0] : []));
  const visible = useRef<[number, number]>([0, 0]);
  const [tick, setTick] = useState(0);

  const load = useCallback(
    (page: number) => {
      if (loading.current.has(page) || fresh.current.has(page)) return;
      loading.current.add(page);
      const gen = generation.current;
      let prefetched: Promise<ChannelOutput<K>> | undefined;
      if (page === 0) {
        prefetched = gen === 0 && key === early.key ? pendingEarly.current : undefined;
        pendingEarly.current = undefined;
      }
      (prefetched ?? call(channel, pageInput<K>(key, pageSize, page))).then(
        (answer) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          fresh.current.add(page);
          const { items, total, totalCapped } = answer as Answer<Item<K>>;
          setPages((prev) => merge(prev, page, pageSize, items, total, totalCapped));
        },
        (error: unknown) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          setPages((prev) => ({ ...prev, error }));
        },
      );
    },
    [channel, key, pageSize, early],
  );

  const onRangeChange = useCallback(
    (start: number, end: number) => {
      visible.current = [start, end];
      for (let page = Math.floor(start / pageSize); page <= Math.floor(Math.max(end - 1, start) / pageSize); page++)
        load(page);
    },
    [load, pageSize],
  );

  // A new filter starts empty; a data change keeps the rows shown and refreshes the visible pages.
  // Not on mount: the rows are empty already, and the table's effect (a child's, so it ran first)
  // has just asked for the first pages of this very filter. Starting over there threw that answer
  // away and asked the host for the same page again, on every screen that opens with a list.
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) setPages(emptyPages());
  }, [key]);
  useEffect(() => {
    if (mounted.current) {
      generation.current++;
      loading.current.clear();
      fresh.current.clear();
    }
    mounted.current = true;
    onRangeChange(...visible.current);
  }, [key, version, tick, onRangeChange]);

  const getRow = useCallback(
    (index: number) => pages.rows.get(Math.floor(index / pageSize))?.[index % pageSize],
    [pages, pageSize],
  );
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return useMemo(
    () => ({
      rowCount: pages.known,
      getRow,
      onRangeChange,
      total: pages.total,
      totalCapped: pages.capped,
      error: pages.error,
      reload,
    }),
    [pages, getRow, onRangeChange, reload],
  );
}

type Answer<T> = { items: T[]; total: number; totalCapped: boolean };

/** A page's input: the filter (as its JSON key) with the page's limit and offset. */
const pageInput = <K extends PagedChannel>(key: string, size: number, page: number) =>
  ({ ...(JSON.parse(key) as object), limit: size, offset: page * size }) as ChannelInput<K>;

const emptyPages = <T>(): Pages<T> => ({
  rows: new Map(),
  total: undefined,
  capped: false,
  known: 0,
  error: undefined,
});

function merge<T>(prev: Pages<T>, page: number, size: number, items: T[], total: number, capped: boolean): Pages<T> {
  const rows = new Map(prev.rows);
  rows.set(page, items);
  const end = page * size + items.length;
  // Past a capped total a full page means there may be more (one more page to scroll into); a short one is the end.
  let known = total;
  if (capped) known = items.length < size ? end : Math.max(total, prev.capped ? prev.known : 0, end + size);
  if (!capped) for (const index of rows.keys()) if (index * size >= total) rows.delete(index);
  return { rows, total, capped, known, error: undefined };
}
