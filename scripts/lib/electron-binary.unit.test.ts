import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addonAbi, checkNativeAbi, electronAbi, findElectronBinary, SQLITE_ADDON } from './electron-binary.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let root: string;
const electronDir = () => path.join(root, 'node_modules', 'electron');

function fakeElectron(files: Record<string, string>) {
  mkdirSync(electronDir(), { recursive: true });
  writeFileSync(path.join(electronDir(), 'package.json'), '{"name":"electron","version":"45.5.0"}');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(electronDir(), name)), { recursive: true });
    writeFileSync(path.join(electronDir(), name), content);
  }
}
function fakeAddon(abi: number) {
  const file = path.join(root, SQLITE_ADDON);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    Buffer.concat([Buffer.alloc(64), Buffer.from(`node_register_module_v${abi}\0`), Buffer.alloc(64)]),
  );
}

beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'nexus-electron-bin-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findElectronBinary', () => {
  it('says when the package or its lazily downloaded binary is missing', () => {
    expect(findElectronBinary(root, {})).toEqual({ ok: false, reason: expect.stringContaining('not installed') });
    fakeElectron({});
    expect(findElectronBinary(root, {})).toEqual({ ok: false, reason: expect.stringContaining('path.txt is missing') });
    fakeElectron({ 'path.txt': 'electron' });
    expect(findElectronBinary(root, {})).toEqual({ ok: false, reason: expect.stringContaining('binary is missing') });
  });

  it('finds a downloaded binary, or the one ELECTRON_OVERRIDE_DIST_PATH names', () => {
    fakeElectron({ 'path.txt': 'electron', 'dist/electron': '' });
    expect(findElectronBinary(root, {})).toEqual({ ok: true, binary: path.join(electronDir(), 'dist', 'electron') });
    const custom = path.join(root, 'custom');
    mkdirSync(custom);
    writeFileSync(path.join(custom, 'electron'), '');
    expect(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: custom })).toEqual({
      ok: true,
      binary: path.join(custom, 'electron'),
    });
  });
});

describe('native ABI', () => {
  it("reads the ABI the installed better-sqlite3 was built for: this node's", () => {
    expect(addonAbi(readFileSync(path.join(REPO, SQLITE_ADDON)))).toBe(Number(process.versions.modules));
    expect(addonAbi(Buffer.from('no marker here'))).toBeNull();
  });

  it("reads Electron's ABI from its package", () => {
    expect(electronAbi(REPO)).toBeGreaterThan(Number(process.versions.modules));
    fakeElectron({ abi_version: 'x' });
    expect(electronAbi(root)).toBeNull();
  });

  it('says how to fix a mismatch, and passes a match', () => {
    fakeElectron({ abi_version: '150' });
    fakeAddon(115);
    const mismatch = checkNativeAbi(root);
    expect(mismatch).toEqual({ ok: false, reason: expect.stringContaining('ABI 115 but Electron needs 150') });
    expect(!mismatch.ok && mismatch.reason).toContain('--rebuild-native');
    fakeAddon(150);
    expect(checkNativeAbi(root)).toEqual({ ok: true });
  });

  it('says when better-sqlite3 is not built at all', () => {
    fakeElectron({ abi_version: '150' });
    expect(checkNativeAbi(root)).toEqual({ ok: false, reason: expect.stringContaining('not built') });
  });
});
