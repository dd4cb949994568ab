/** Helpers for the sync tests: a registered device per staff member, pulls, pushes and envelopes. */
import { expect } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import {
  PROTOCOL_VERSION,
  pullAnswer,
  snapshotLine,
  type Change,
  type PullAnswer,
  type PushAnswer,
} from '../../../shared/sync/protocol.js';
import { userWithRole, type TestApp } from '../../test/harness.js';

export type Headers = Record<string, string>;

export interface TestDevice {
  clientId: string;
  auth: Headers;
  userId: string;
  /** The next seq this device will use. */
  seq: number;
}

export async function syncKit(app: TestApp) {
  async function device(
    role: 'staff' | 'admin' = 'staff',
    auth?: { auth: Headers; userId: string },
  ): Promise<TestDevice> {
    let who = auth;
    if (!who) {
      const u = await userWithRole(app, role);
      who = { auth: u.auth, userId: u.user.id };
    }
    const res = await app.request.post('/api/v1/sync/devices').set(who.auth).send({ name: 'till 1' });
    if (res.status !== 201) throw new Error(`device fixture: ${res.status} ${JSON.stringify(res.body)}`);
    const { clientId } = res.body as { clientId: string };
    return { clientId, auth: who.auth, userId: who.userId, seq: 1 };
  }

  const pullRaw = (d: TestDevice, query: Record<string, string | number> = {}) =>
    app.request
      .get('/api/v1/sync/pull')
      .set(d.auth)
      .query({ clientId: d.clientId, protocolVersion: PROTOCOL_VERSION, ...query });

  async function pull(d: TestDevice, cursor?: string, limit?: number): Promise<PullAnswer> {
    const res = await pullRaw(d, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
    if (res.status !== 200) throw new Error(`pull: ${res.status} ${JSON.stringify(res.body)}`);
    // The route sends JSON text made in Postgres (row-json.ts): hold every page to the contract.
    return pullAnswer.parse(res.body);
  }

  /** Pulls page after page until caught up; answers every change and the final cursor. */
  async function pullAll(d: TestDevice, cursor?: string, limit?: number) {
    const changes: Change[] = [];
    const pages: PullAnswer[] = [];
    let at = cursor;
    for (;;) {
      const page = await pull(d, at, limit);
      pages.push(page);
      changes.push(...page.changes);
      at = page.cursor;
      if (!page.hasMore)
        return { changes, cursor: at, pages, epoch: page.epoch, lastMutationSeq: page.lastMutationSeq };
    }
  }

  const snapshotRaw = (d: TestDevice, query: Record<string, string | number> = {}) =>
    app.request
      .get('/api/v1/sync/snapshot')
      .set(d.auth)
      .query({ clientId: d.clientId, protocolVersion: PROTOCOL_VERSION, ...query })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

  /** A whole snapshot stream, every line held to the contract. */
  async function snapshot(d: TestDevice, query: Record<string, string | number> = {}) {
    const res = await snapshotRaw(d, query);
    if (res.status !== 200) throw new Error(`snapshot: ${res.status} ${String(res.body)}`);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text = res.body as string;
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .slice(0, -1)
      .split('\n')
      .map((l) => snapshotLine.parse(JSON.parse(l)));
    const first = lines[0]!;
    const last = lines.at(-1)!;
    if (!('begin' in first) || !('end' in last)) throw new Error('snapshot: no begin or end line');
    const changes = lines.filter((l): l is Change => 'table' in l);
    const resumes = lines.flatMap((l) => ('resume' in l ? [l.resume] : []));
    expect(last.end.rows).toBe(changes.length);
    return { begin: first.begin, changes, resumes, lines };
  }

  /** A mutation envelope with the device's next seq (or the given one). */
  function mutation(d: TestDevice, name: string, args: unknown, extra: Record<string, unknown> = {}) {
    return { seq: d.seq++, id: newId(), name, args, createdAt: new Date().toISOString(), ...extra };
  }

  const pushRaw = (d: TestDevice, mutations: unknown[], extra: Record<string, unknown> = {}) =>
    app.request
      .post('/api/v1/sync/push')
      .set(d.auth)
      .send({ clientId: d.clientId, protocolVersion: PROTOCOL_VERSION, mutations, ...extra });

  async function push(d: TestDevice, mutations: unknown[]): Promise<PushAnswer> {
    const res = await pushRaw(d, mutations);
    if (res.status !== 200) throw new Error(`push: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as PushAnswer;
  }

  return { device, pullRaw, pull, pullAll, snapshotRaw, snapshot, mutation, pushRaw, push };
}
