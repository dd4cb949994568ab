import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exited, spawnChild, stopChild, watchLines } from './children.js';

const node = (code: string) => spawnChild(process.execPath, ['-e', code], { stdio: 'ignore' });

describe('watchLines', () => {
  it('copies everything and resolves with the first match, across chunk boundaries', async () => {
    const stream = new PassThrough();
    const sink = new PassThrough();
    let copied = '';
    sink.on('data', (chunk: Buffer) => (copied += chunk.toString()));
    const found = watchLines(stream, sink, /open (\S+)/);
    stream.write('starting\nNexus: op');
    stream.write('en http://x/#s=1\nmore\n');
    await expect(found).resolves.toBe('http://x/#s=1');
    stream.end('after\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(copied).toBe('starting\nNexus: open http://x/#s=1\nmore\nafter\n');
  });

  it('resolves null when the stream ends without the line', async () => {
    const stream = new PassThrough();
    const found = watchLines(stream, new PassThrough(), /ready/);
    stream.end('crashed\n');
    await expect(found).resolves.toBeNull();
  });
});

describe('stopChild', () => {
  it.runIf(process.platform !== 'win32')('stops a child with SIGINT and reports a clean exit', async () => {
    const child = node("process.on('SIGINT', () => process.exit(0)); setInterval(() => {}, 1000)");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(stopChild(child, 5_000)).resolves.toBe(true);
  });

  it.runIf(process.platform !== 'win32')('kills a child that ignores SIGINT after the grace period', async () => {
    const child = node("process.on('SIGINT', () => {}); setInterval(() => {}, 1000)");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await expect(stopChild(child, 400)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('answers at once for a child that already ended', async () => {
    const child = node('process.exit(3)');
    await expect(exited(child)).resolves.toBe(3);
    await expect(stopChild(child, 5_000)).resolves.toBe(false);
  });
});
