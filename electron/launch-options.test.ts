import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLaunchOptions } from './launch-options.js';

const HOME = '/home/ann';
const read = (argv: string[], env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = 'linux') =>
  readLaunchOptions(argv, env, platform, HOME);

describe('readLaunchOptions', () => {
  it("defaults to the OS's application data folder, shared with browser mode", () => {
    expect(read([])).toEqual({ dataDir: '/home/ann/.local/share/nexus-backoffice', serverUrl: undefined });
    expect(read([], {}, 'darwin')).toMatchObject({ dataDir: '/home/ann/Library/Application Support/nexus-backoffice' });
    expect(read([], { XDG_DATA_HOME: '/data/xdg' })).toMatchObject({ dataDir: '/data/xdg/nexus-backoffice' });
  });

  it('takes flags over the environment, and an empty variable counts as unset', () => {
    const env = { BACKOFFICE_DATA_DIR: '/env/dir', SERVER_URL: 'http://env.example' };
    expect(read([], env)).toEqual({ dataDir: '/env/dir', serverUrl: 'http://env.example' });
    expect(read(['--data-dir', '/flag/dir', '--server-url=https://shop.example.com'], env)).toEqual({
      dataDir: '/flag/dir',
      serverUrl: 'https://shop.example.com',
    });
    expect(read([], { BACKOFFICE_DATA_DIR: '', SERVER_URL: '' })).toMatchObject({ serverUrl: undefined });
  });

  it('resolves a relative data dir', () => {
    expect(read(['--data-dir', 'demo'])).toMatchObject({ dataDir: path.resolve('demo') });
  });

  it("ignores Chromium's and the OS's own switches", () => {
    expect(read(['--no-sandbox', '--enable-logging', '-psn_0_12345', 'file.txt', '--data-dir', '/d'])).toMatchObject({
      dataDir: '/d',
    });
  });

  it('names each bad option', () => {
    expect(read(['--server-url', 'ftp://x.example'])).toEqual({ errors: ['--server-url: must be an http(s) URL'] });
    expect(read(['--server-url', 'nonsense'])).toEqual({ errors: ['--server-url: must be an http(s) URL'] });
    expect(read(['--data-dir'])).toEqual({ errors: ['--data-dir: must not be empty'] });
    expect(read(['--data-dir', '  '])).toEqual({ errors: ['--data-dir: must not be empty'] });
  });
});
