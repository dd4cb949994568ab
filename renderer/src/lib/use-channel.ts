/**
 * Reads a channel into a screen and reads it again whenever one of `tables` changes (a sync pass
 * or a local write bumped it) or the input changes. The previous value stays on screen while the
 * next one loads, so a refresh never flickers to a spinner.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { call } from './api.js';
import { useDataVersion } from './stores/data-version.js';

export interface ChannelQuery<T> {
  data: T | undefined;
  error: unknown;
  /** True while a request is in flight (also during a background refresh). */
  loading: boolean;
  reload: () => void;
}

export function useChannel<K extends ChannelName>(
  channel: K,
  input: ChannelInput<K>,
  options: { tables?: readonly string[]; enabled?: boolean } = {},
): ChannelQuery<ChannelOutput<K>> {
  const version = useDataVersion(options.tables ?? []);
  const enabled = options.enabled ?? true;
  // Inputs are plain data: their JSON is a stable dependency even when the caller builds a new object each render.
  // No input stays no input (a channel without arguments refuses a `null` body).
  const key = input === undefined ? undefined : JSON.stringify(input);
  const [state, setState] = useState<{ data?: ChannelOutput<K>; error: unknown; loading: boolean }>({
    error: undefined,
    loading: enabled,
  });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    if (!enabled) return;
    const request = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    call(channel, (key === undefined ? undefined : JSON.parse(key)) as ChannelInput<K>).then(
      (data) => request === latest.current && setState({ data, error: undefined, loading: false }),
      (error: unknown) => request === latest.current && setState((s) => ({ ...s, error, loading: false })),
    );
  }, [channel, key, version, tick, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
