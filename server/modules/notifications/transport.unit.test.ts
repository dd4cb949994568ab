import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, describe, expect, it } from 'vitest';
import { createMailTransport, fileTransport } from './transport.js';

const root = mkdtempSync(path.join(tmpdir(), 'nexus-mail-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const message = {
  id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  from: 'Nexus <no-reply@nexus.local>',
  to: 'ada@example.com',
  subject: 'Welcome to Nexus — ünïcode',
  text: 'Hello Ada,\n\nplain part',
  html: '<p>Hello <b>Ada</b></p>',
};

describe('fileTransport', () => {
  it('writes one .eml (creating the directory) that parses back to the same message', async () => {
    const dir = path.join(root, 'nested', 'mail');
    const transport = fileTransport(dir);
    expect(transport.description).toBe(`files in ${dir}`);
    await transport.send(message);
    transport.close();

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T.*-${message.id}\\.eml$`));

    const parsed = await simpleParser(readFileSync(path.join(dir, files[0]!)));
    expect(parsed.subject).toBe(message.subject);
    expect(parsed.text?.trim()).toBe(message.text);
    expect(parsed.html).toContain('<p>Hello <b>Ada</b></p>');
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value[0]?.address).toBe('ada@example.com');
    expect(parsed.from?.value[0]).toMatchObject({ address: 'no-reply@nexus.local', name: 'Nexus' });
    expect(parsed.messageId).toBe(`<${message.id}@nexus.local>`);
    expect(parsed.headers.get('x-nexus-notification-id')).toBe(message.id);
  });

  it('writes one file per message', async () => {
    const dir = path.join(root, 'many');
    const transport = fileTransport(dir);
    await transport.send({ ...message, id: 'a' });
    await transport.send({ ...message, id: 'b' });
    expect(
      readdirSync(dir)
        .sort()
        .map((f) => f.slice(-6)),
    ).toEqual(['-a.eml', '-b.eml']);
  });
});

describe('createMailTransport', () => {
  it('writes files under <dataDir>/mail without SMTP_URL', () => {
    const t = createMailTransport({ dataDir: root });
    expect(t.description).toBe(`files in ${path.join(root, 'mail')}`);
  });

  it('uses SMTP with SMTP_URL, never showing the password', () => {
    const t = createMailTransport({ smtpUrl: 'smtp://user:hunter22@mail.example.com:587', dataDir: root });
    expect(t.description).toMatch(/^SMTP smtp:\/\/user:\*\*\*@mail\.example\.com:587/);
    expect(t.description).not.toContain('hunter22');
    t.close();
  });
});
