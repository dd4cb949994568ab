import { describe, expect, it } from 'vitest';
import { perDatabase, StateCaches } from './state-caches.js';

describe('StateCaches', () => {
  it('answers by state and key, and keeps only the two newest states', () => {
    const caches = new StateCaches<{ n: number }>(100);
    caches.set('s1', 'a', { n: 1 });
    caches.set('s2', 'a', { n: 2 });
    expect(caches.get('s1', 'a')).toEqual({ n: 1 });
    expect(caches.get('s2', 'a')).toEqual({ n: 2 });
    expect(caches.get('s2', 'b')).toBeUndefined();
    caches.set('s3', 'a', { n: 3 });
    // s1's entries can never be asked for again: gone, with their memory.
    expect(caches.get('s1', 'a')).toBeUndefined();
    expect(caches.states).toEqual(['s2', 's3']);
    expect(caches.size).toBe(2);
  });

  it('bounds each state by its own LRU', () => {
    const caches = new StateCaches<string[]>(3);
    for (const key of ['a', 'b', 'c', 'd']) caches.set('s1', key, [key]);
    expect(caches.size).toBe(3);
    expect(caches.get('s1', 'a')).toBeUndefined();
    expect(caches.get('s1', 'd')).toEqual(['d']);
  });

  it('keeps one set of caches per database handle', () => {
    const cacheOf = perDatabase<string[]>(10);
    const db1 = {};
    const db2 = {};
    cacheOf(db1).set('s', 'k', ['one']);
    expect(cacheOf(db1).get('s', 'k')).toEqual(['one']);
    expect(cacheOf(db2).get('s', 'k')).toBeUndefined();
  });
});
