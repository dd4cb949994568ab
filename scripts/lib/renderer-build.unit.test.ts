import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newestMtime, rendererBuildState } from './renderer-build.js';

let root: string;
const at = (file: string, seconds: number) => {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, seconds, seconds);
};

beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'nexus-rbuild-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('rendererBuildState', () => {
  it('is missing on a fresh clone', () => {
    at('renderer/src/main.tsx', 1_000);
    expect(rendererBuildState(root)).toBe('missing');
  });

  it('is fresh when the build is newer than every source, stale when a source changed since', () => {
    at('renderer/src/main.tsx', 1_000);
    at('shared/contract/backoffice.ts', 1_100);
    at('dist/renderer/index.html', 2_000);
    expect(rendererBuildState(root)).toBe('fresh');
    at('shared/contract/backoffice.ts', 3_000);
    expect(rendererBuildState(root)).toBe('stale');
  });

  it('ignores test files: editing one needs no rebuild', () => {
    at('renderer/src/main.tsx', 1_000);
    at('dist/renderer/index.html', 2_000);
    at('renderer/src/app/App.test.tsx', 3_000);
    at('shared/domain/money.test.ts', 3_000);
    expect(rendererBuildState(root)).toBe('fresh');
  });
});

describe('newestMtime', () => {
  it('walks folders and counts missing entries as nothing', () => {
    at('a/b/c.ts', 1_234);
    at('a/d.ts', 1_000);
    expect(newestMtime([path.join(root, 'a'), path.join(root, 'missing')])).toBe(1_234_000);
    expect(newestMtime([path.join(root, 'missing')])).toBe(0);
  });
});
