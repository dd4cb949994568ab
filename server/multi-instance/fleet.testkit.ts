/**
 * Several server processes (server/main.ts, as deployed) on one Postgres database and a local SMTP
 * server receiving their mail, for the multi-instance tests.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort, runTs, type TsProcess } from '../main.testkit.js';

/**
 * A real SMTP server on 127.0.0.1 that notes the outbox row id of every message it accepts. It can
 * refuse messages (a temporary 451) and hold answers back (`pause`): a worker whose send is held
 * is known to be mid-send, and each worker sends one message at a time.
 */
export async function startMailSink(options: { delayMs: number }) {
  const received: { notificationId: string; to: string[] }[] = [];
  let refuse = 0;
  let refused = 0;
  let paused = false;
  const held: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // The reverse DNS lookup of each client costs a round trip to the resolver (~300 ms here).
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const id = /^X-Nexus-Notification-Id:\s*(\S+)/im.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
        const fail = refuse > 0;
        if (fail) refuse--;
        const answer = () => {
          if (fail) {
            refused++;
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
            return;
          }
          received.push({ notificationId: id ?? '(none)', to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        };
        // A slow server keeps sends in flight long enough for the instances' workers to overlap.
        const later = () => setTimeout(answer, options.delayMs);
        if (paused) held.push(later);
        else later();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received,
    /** Messages refused so far. */
    refused: () => refused,
    /** Refuses the next `n` messages. */
    refuseNext: (n: number) => void (refuse = n),
    pause: () => void (paused = true),
    /** Messages whose answer is held back by `pause`. */
    waiting: () => held.length,
    resume() {
      paused = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One line of an instance's request log (server/http/request-log.ts), as the instance saw the request. */
export interface LoggedRequest {
  status: number;
  msg: string;
}

export interface Instance {
  name: string;
  url: string;
  proc: TsProcess;
  /** Requests the instance logged so far, by request id: every request it received, answered or not. */
  requests(): Map<string, LoggedRequest>;
  /** How many e-mails this instance's outbox worker reported sent (since `after`, a log message). */
  mailsSent(after?: string): number;
}

const logLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; req?: { id?: string }; res?: { statusCode?: number } });

/** Starts server/main.ts with its own port and data directory; resolves once it serves. */
export async function startInstance(name: string, env: Record<string, string>, root: string): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(root, `${name}-`));
  const proc = runTs(
    'server/main.ts',
    [],
    { ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    root,
  );
  await proc.waitFor(/Health\s+http/);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    proc,
    requests() {
      const seen = new Map<string, LoggedRequest>();
      for (const line of logLines(proc.stdout())) {
        if (line.req?.id && line.msg?.startsWith('request '))
          seen.set(line.req.id, { status: line.res?.statusCode ?? 0, msg: line.msg });
      }
      return seen;
    },
    mailsSent(after) {
      const lines = logLines(proc.stdout());
      const from = after === undefined ? 0 : lines.findIndex((l) => l.msg === after);
      return from < 0 ? 0 : lines.slice(from).filter((l) => l.msg === 'outbox: e-mail sent').length;
    },
  };
}
