import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type NexusApp } from '../../app.js';
import { notifications } from '../../db/schema/index.js';
import { createLogger } from '../../logger.js';
import { createTestDatabase, TEST_DB, testConfig, uniqueEmail, type TestDatabase } from '../../test/harness.js';
import { OutboxWorker } from './outbox.worker.js';

interface Received {
  raw: Buffer;
  mailFrom: string | undefined;
  rcptTo: string[];
}

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts. */
async function startSmtp(inbox: Received[], port = 0) {
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        inbox.push({
          raw: Buffer.concat(chunks),
          mailFrom: mailFrom ? mailFrom.address : undefined,
          rcptTo: rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return { port: address.port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const inbox: Received[] = [];
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let database: TestDatabase;
let nexus: NexusApp;
let request: ReturnType<typeof supertest>;

beforeAll(async () => {
  smtp = await startSmtp(inbox);
  database = await createTestDatabase();
  // No transport passed in: createApp builds the SMTP one from SMTP_URL, as in production.
  const config = testConfig({
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    PUBLIC_URL: 'https://shop.example.com',
    SHOP_NAME: 'Harbour Tea',
  });
  nexus = createApp({ config, database, logger: createLogger('silent') });
  nexus.lifecycle.migrated = true;
  request = supertest(nexus.app);
});
afterAll(async () => {
  await nexus?.ctx.background.drain();
  await nexus?.outbox.stop();
  nexus?.mailTransport.close();
  await database?.destroy();
  await smtp?.close();
});

const flushOutbox = async () => {
  await nexus.ctx.background.drain(); // a password reset is enqueued after the 202 answer
  while ((await nexus.outbox.runOnce()) > 0);
};
const register = (name: string, email = uniqueEmail('smtp')) =>
  request.post('/api/v1/auth/register').send({ email, password: 'correct horse battery', name }).expect(201);

/** Flushes the outbox and returns the messages that arrived at the SMTP server since `from`. */
async function delivered(from: number): Promise<(ParsedMail & { envelope: Received })[]> {
  await flushOutbox();
  return Promise.all(inbox.slice(from).map(async (m) => Object.assign(await simpleParser(m.raw), { envelope: m })));
}
const toAddress = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;
const rowByKey = async (key: string) =>
  (await database.db.select().from(notifications).where(eq(notifications.idempotencyKey, key)))[0]!;

describe(`e-mail over real SMTP (${TEST_DB})`, () => {
  it('uses the SMTP transport built from SMTP_URL', () => {
    expect(nexus.mailTransport.description).toBe(`SMTP smtp://127.0.0.1:${smtp.port}`);
  });

  it('delivers the welcome e-mail of a new account', async () => {
    const start = inbox.length;
    const email = uniqueEmail('welcome');
    const res = await register('Ada Lovelace', email);
    const [mail, ...rest] = await delivered(start);
    expect(rest).toHaveLength(0);
    const row = await rowByKey(`welcome:${res.body.user.id}`);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, toAddress: email });

    expect(mail!.envelope).toMatchObject({ mailFrom: 'no-reply@nexus.local', rcptTo: [email] });
    expect(toAddress(mail!)).toBe(email);
    expect(mail!.from?.value[0]).toMatchObject({ name: 'Nexus', address: 'no-reply@nexus.local' });
    expect(mail!.subject).toBe('Welcome to Harbour Tea');
    expect(mail!.text).toContain('Hello Ada Lovelace,');
    expect(mail!.text).toContain('https://shop.example.com');
    expect(mail!.html).toContain('<p>Hello Ada Lovelace,</p>');
    expect(mail!.html).toContain('href="https://shop.example.com"');
    expect(mail!.messageId).toBe(`<${row.id}@nexus.local>`);
    expect(mail!.headers.get('x-nexus-notification-id')).toBe(row.id);

    // Sent once: flushing again delivers nothing new.
    expect(await delivered(inbox.length)).toHaveLength(0);
  });

  it('delivers a password reset link whose token sets a new password', async () => {
    const email = uniqueEmail('reset');
    await register('Rita', email);
    await flushOutbox();
    const start = inbox.length;
    await request.post('/api/v1/auth/password-reset').send({ email }).expect(202);
    const [mail, ...rest] = await delivered(start);
    expect(rest).toHaveLength(0);
    expect(toAddress(mail!)).toBe(email);
    expect(mail!.subject).toBe('Reset your Harbour Tea password');

    const link = /https:\/\/shop\.example\.com\/reset-password\?token=([^\s"&<]+)/.exec(mail!.text ?? '');
    expect(link).not.toBeNull();
    const token = decodeURIComponent(link![1]!);
    expect(mail!.html).toContain(`href="https://shop.example.com/reset-password?token=${link![1]}"`);
    // Once sent, the one-time link is gone from the outbox.
    const rows = await database.db.select().from(notifications).where(eq(notifications.toAddress, email));
    const resetRow = rows.find((r) => r.template === 'password-reset');
    expect(resetRow).toMatchObject({ status: 'sent' });
    expect(mail!.messageId).toBe(`<${resetRow!.id}@nexus.local>`);
    expect(JSON.stringify(resetRow!.payload)).not.toContain(token);

    const password = 'a brand new password';
    await request.post('/api/v1/auth/password-reset/confirm').send({ token, password }).expect(204);
    const login = await request.post('/api/v1/auth/login').send({ email, password }).expect(200);
    expect(login.body.user.email).toBe(email);
    await request.post('/api/v1/auth/login').send({ email, password: 'correct horse battery' }).expect(401);
    // The link works once.
    await request.post('/api/v1/auth/password-reset/confirm').send({ token, password: 'yet another one!' }).expect(400);
  });

  it('escapes HTML in user-supplied names in the html part', async () => {
    const start = inbox.length;
    await register('<b>Eve</b>');
    const [mail] = await delivered(start);
    expect(mail!.html).toContain('Hello &lt;b&gt;Eve&lt;/b&gt;,');
    expect(mail!.html).not.toContain('<b>Eve</b>');
    expect(mail!.text).toContain('Hello <b>Eve</b>,'); // plain text is not HTML
  });

  it('keeps the e-mail while the SMTP server is down and delivers it once the server is back', async () => {
    const port = smtp.port;
    await smtp.close();
    // The app's worker backs off for 30 s or more; this one retries within 100 ms.
    const worker = new OutboxWorker({
      db: database.db,
      transport: nexus.mailTransport,
      from: nexus.ctx.config.MAIL_FROM,
      logger: createLogger('silent'),
      pollMs: 60_000,
      maxAttempts: 5,
      backoff: { baseMs: 50, maxMs: 100 },
    });
    const start = inbox.length;
    const res = await register('Dana Down');
    const key = `welcome:${res.body.user.id}`;
    expect(await worker.runOnce()).toBe(1);
    const failed = await rowByKey(key);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(inbox.length).toBe(start);

    smtp = await startSmtp(inbox, port);
    await vi.waitFor(async () => expect(await worker.runOnce()).toBe(1), { timeout: 3000, interval: 50 });
    const sent = await rowByKey(key);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    const mails = await Promise.all(inbox.slice(start).map((m) => simpleParser(m.raw)));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.messageId).toBe(`<${sent.id}@nexus.local>`);
    expect(mails[0]!.text).toContain('Hello Dana Down,');
  });
});
