import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKOFFICE_READY_LINE, chooseBackoffice, readStartOptions, SERVER_READY_LINE } from './start-plan.js';

const CWD = '/repo';

describe('readStartOptions', () => {
  it('keeps the back-office store inside DATA_DIR, so a demo is self-contained', () => {
    expect(readStartOptions([], {}, CWD)).toEqual({
      browser: false,
      build: true,
      backofficeDataDir: path.join(CWD, 'data', 'backoffice'),
    });
    expect(readStartOptions([], { DATA_DIR: '/tmp/demo' }, CWD)).toMatchObject({
      backofficeDataDir: '/tmp/demo/backoffice',
    });
    expect(readStartOptions([], { DATA_DIR: '/tmp/demo', BACKOFFICE_DATA_DIR: 'bo' }, CWD)).toMatchObject({
      backofficeDataDir: path.join(CWD, 'bo'),
    });
  });

  it('takes --browser (or NEXUS_BACKOFFICE=browser) and --no-build', () => {
    expect(readStartOptions(['--browser', '--no-build'], {}, CWD)).toMatchObject({ browser: true, build: false });
    expect(readStartOptions([], { NEXUS_BACKOFFICE: 'browser' }, CWD)).toMatchObject({ browser: true });
  });

  it('refuses unknown options and stray arguments', () => {
    expect(readStartOptions(['--electron'], {}, CWD)).toMatch(/Unknown option '--electron'/);
    expect(readStartOptions(['now'], {}, CWD)).toMatch(/Unexpected argument 'now'/);
  });
});

describe('ready lines', () => {
  it("reads the server's address from its banner", () => {
    expect(SERVER_READY_LINE.exec('  API               http://127.0.0.1:3000/api/v1')?.[1]).toBe(
      'http://127.0.0.1:3000',
    );
    expect(SERVER_READY_LINE.exec('  API docs          http://127.0.0.1:3000/api/docs')).toBeNull();
    expect(SERVER_READY_LINE.exec('{"level":30,"msg":"API http://x/api/v1 ready"}')).toBeNull();
  });

  it("reads browser mode's URL", () => {
    expect(BACKOFFICE_READY_LINE.exec('Nexus back-office: open http://127.0.0.1:5000/#secret=abc')?.[1]).toBe(
      'http://127.0.0.1:5000/#secret=abc',
    );
  });
});

describe('chooseBackoffice', () => {
  it('uses Electron when it can run, browser mode when asked', () => {
    expect(chooseBackoffice({ browser: false }, { ok: true, binary: '/e' })).toEqual({
      mode: 'electron',
      binary: '/e',
    });
    expect(chooseBackoffice({ browser: true }, { ok: true, binary: '/e' })).toEqual({ mode: 'browser', why: null });
  });

  it('falls back to browser mode with the reason', () => {
    expect(chooseBackoffice({ browser: false }, { ok: false, reason: 'no binary' })).toEqual({
      mode: 'browser',
      why: 'Electron cannot run here (no binary): using browser mode.',
    });
  });
});
