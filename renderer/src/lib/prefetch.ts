/**
 * Answers asked for before the component that shows them asks. At start-up the session is checked
 * and the shell rendered before the opening screen mounts and asks for its rows: boot.ts asks for
 * them at once instead (app/preloads.ts). The component then takes that answer, ready or on its
 * way, rather than asking again. Each answer is taken once, and any change to the data (a host event, a local
 * write) or a few seconds unclaimed drops it: nothing is ever shown from before a change.
 */
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract/backoffice.js';
import { call } from './api.js';
import { useDataVersionStore } from './stores/data-version.js';

/** Long enough for a slow start-up to reach the screen; short enough that nothing old lingers. */
const UNCLAIMED_MS = 10_000;

interface Entry {
  answer: Promise<unknown>;
  /** Set once the answer has arrived. */
  value?: { current: unknown };
  settled: Promise<void>;
  timer: ReturnType<typeof setTimeout>;
}

const entries = new Map<string, Entry>();
const keyOf = (channel: ChannelName, input: unknown) => `${channel} ${JSON.stringify(input)}`;

useDataVersionStore.subscribe(() => dropAll());

/**
 * Starts the call now; its answer waits for `takePrefetched` with the same channel and input.
 * Settles when the answer has arrived (or failed: a failure is the taker's to report).
 */
export function prefetch<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<void> {
  const key = keyOf(channel, input);
  const known = entries.get(key);
  if (known) return known.settled;
  const answer = call(channel, input);
  const settled = answer.then(
    (value) => void (entry.value = { current: value }),
    () => void (entries.get(key) === entry && entries.delete(key)),
  );
  const entry: Entry = { answer, settled, timer: setTimeout(() => entries.delete(key), UNCLAIMED_MS) };
  entries.set(key, entry);
  return settled;
}

export interface Prefetched<T> {
  /** The answer, when it has arrived: a screen can render it in its first pass. */
  ready?: { value: T };
  answer: Promise<T>;
}

/** The prefetched answer for exactly this call, at most once; undefined when there is none. */
export function takePrefetched<K extends ChannelName>(
  channel: K,
  input: ChannelInput<K>,
): Prefetched<ChannelOutput<K>> | undefined {
  const key = keyOf(channel, input);
  const entry = entries.get(key);
  if (!entry) return undefined;
  entries.delete(key);
  clearTimeout(entry.timer);
  const answer = entry.answer as Promise<ChannelOutput<K>>;
  return entry.value ? { ready: { value: entry.value.current as ChannelOutput<K> }, answer } : { answer };
}

function dropAll(): void {
  for (const entry of entries.values()) clearTimeout(entry.timer);
  entries.clear();
}
