import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildEnv, isDevelopmentBuild } from './build.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A built UI as Vite writes it: index.html naming its entry script under assets/. */
function builtUi(entry: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nexus-build-test-'));
  dirs.push(dir);
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><script type="module" crossorigin src="./assets/index-a1.js"></script>',
  );
  writeFileSync(path.join(dir, 'assets', 'index-a1.js'), entry);
  return dir;
}

describe('the renderer build', () => {
  it('runs with NODE_ENV=production even under vitest, which sets it to test', () => {
    expect(process.env.NODE_ENV).toBe('test');
    expect(buildEnv(process.env)).toMatchObject({ NODE_ENV: 'production', PATH: process.env.PATH });
  });

  it('tells a development bundle (React dev JSX runtime) from a production one', () => {
    expect(isDevelopmentBuild(builtUi('var e=r.jsxDEV(`div`,{},void 0,!1,{fileName:`App.tsx`});'))).toBe(true);
    expect(isDevelopmentBuild(builtUi('var e=(0,r.jsx)(`div`,{});'))).toBe(false);
  });
});
