/**
 * A benchmark's server runs in a child process, because an embedded PGlite lives inside one
 * process and only that process can read it. The child prints one JSON line `{"ready": true, …}`
 * once it serves; the parent may then send commands, one per line on the child's stdin (a name,
 * then optionally a space and an argument for the handler), each answered (in order) by one JSON
 * line `{"reply": …}`. Everything else the child prints is ignored.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BenchChild<R> {
  ready: R;
  /** Sends a command to the child and waits for its reply. */
  ask<T>(command: string): Promise<T>;
  stop(): Promise<void>;
}

export async function startChild<R>(script: string, env: NodeJS.ProcessEnv): Promise<BenchChild<R>> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: { resolve(value: unknown): void; reject(err: Error): void }[] = [];
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      for (const w of waiting.splice(0)) w.reject(new Error(`bench server exited with ${code}`));
      resolve(code);
    }),
  );
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<R>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line) as R);
      else if (line.startsWith('{"reply"')) waiting.shift()?.resolve((JSON.parse(line) as { reply: unknown }).reply);
    });
    void exit.then((code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    ready,
    ask: <T>(command: string) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error('bench server is not running'));
        waiting.push({ resolve, reject });
        child.stdin.write(`${command}\n`);
      }),
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** Child side: prints the ready line. */
export function announceReady(payload: Record<string, unknown>): void {
  console.log(JSON.stringify({ ready: true, ...payload }));
}

/**
 * Child side: answers the parent's commands, and stops on SIGTERM or when the parent goes away
 * (its end of stdin closes), so no server outlives its benchmark.
 */
export function serveCommands(
  handlers: Record<string, (argument: string) => Promise<unknown>>,
  stop: () => Promise<void>,
): void {
  const end = () => void stop().finally(() => process.exit(0));
  process.once('SIGTERM', end);
  const lines = createInterface({ input: process.stdin });
  lines.on('close', end);
  lines.on('line', (line) => {
    const [name = '', ...rest] = line.trim().split(' ');
    const handler = handlers[name];
    void (handler ? handler(rest.join(' ')) : Promise.resolve({ error: `unknown command ${line}` })).then(
      (reply) => console.log(JSON.stringify({ reply })),
      (err: unknown) => console.log(JSON.stringify({ reply: { error: String(err) } })),
    );
  });
}
