/**
 * Child processes for the launchers (`npm start`, `npm run desktop`): each runs in its own process
 * group (POSIX), so a terminal's Ctrl+C reaches only the launcher, which then stops each child once
 * and in order. Two signals would mean "stop now" to the server and the back-office, skipping their
 * clean shutdown. On Windows the console delivers Ctrl+C to every process itself.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Readable } from 'node:stream';

const OWN_GROUP = process.platform !== 'win32';

export function spawnChild(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'inherit', detached: OWN_GROUP, ...options });
  // Whatever ends the launcher (an error, process.exit) must not leave a child behind.
  const killOnExit = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the exit code (or 1 for a signal) when the child ends. */
export function exited(child: ChildProcess): Promise<number> {
  if (hasExited(child)) return Promise.resolve(child.exitCode ?? 1);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

/**
 * Asks a child to stop (SIGINT, like Ctrl+C) and waits; after `graceMs` it is killed. Answers
 * whether it stopped by itself with exit code 0.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<boolean> {
  if (hasExited(child)) return child.exitCode === 0;
  const done = exited(child);
  if (OWN_GROUP) child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  const outcome = await Promise.race([done, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    child.kill('SIGKILL');
    await done;
    return false;
  }
  return outcome === 0;
}

/**
 * Copies a child's output to `sink` line by line and resolves with the first match of `pattern`
 * (its first group), or null when the stream ends first.
 */
export function watchLines(stream: Readable, sink: NodeJS.WritableStream, pattern: RegExp): Promise<string | null> {
  return new Promise((resolve) => {
    let buffered = '';
    let found = false;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      sink.write(chunk);
      if (found) return;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const match = pattern.exec(line);
        if (match) {
          found = true;
          buffered = '';
          resolve(match[1] ?? match[0]);
          return;
        }
      }
    });
    stream.on('end', () => !found && resolve(null));
  });
}
