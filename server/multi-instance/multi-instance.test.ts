import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted } from '../main.testkit.js';
import { createTestDatabase, TEST_DB, TEST_JWT_SECRET, type TestDatabase } from '../test/harness.js';
import { expectStatus, recordingClient, refusesConnections, waitUntil, type Outcome } from './client.testkit.js';
import { startInstance, startMailSink, type Instance } from './fleet.testkit.js';
import { shopKit } from './shop.testkit.js';

const ADMIN = { email: 'admin@multi.example.com', password: 'correct horse battery staple' };
const SHUTTING_DOWN = 'shutting down: draining requests';

// Several processes on one database need a database server: PGlite is embedded in one process.
describe.skipIf(TEST_DB !== 'postgres')(
  'several server processes on one database (real Postgres only; PGlite lives inside one process)',
  { timeout: 60_000 },
  () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nexus-multi-'));
    let database: TestDatabase;
    let mail: Awaited<ReturnType<typeof startMailSink>>;
    let env: Record<string, string>;
    const fleet: Instance[] = [];
    const client = recordingClient();
    const { call } = client;
    let shop: ReturnType<typeof shopKit>;
    let admin: Record<string, string>;

    beforeAll(async () => {
      mail = await startMailSink({ delayMs: 5 });
      database = await createTestDatabase();
      env = {
        NODE_ENV: 'production',
        DATABASE_URL: database.url!,
        DATABASE_POOL_MAX: '6',
        JWT_SECRET: TEST_JWT_SECRET,
        SEED_DEMO: 'false',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        SMTP_URL: mail.url,
        OUTBOX_POLL_MS: '200',
        OUTBOX_BACKOFF_BASE_MS: '100',
        LOGIN_RATE_LIMIT_PER_IP: '1000',
      };
      // All at once, as a deployment starts them: start-up itself must cope with its peers.
      fleet.push(...(await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name, env, root)))));
      const login = await call(fleet[0]!, 'POST', '/api/v1/auth/login', { body: ADMIN });
      admin = { Authorization: `Bearer ${expectStatus<{ accessToken: string }>(login, 200).accessToken}` };
      shop = shopKit({ call, db: database.db, admin, fleet });
    }, 90_000);
    afterAll(async () => {
      await killStarted();
      await mail?.close();
      await database?.destroy();
      rmSync(root, { recursive: true, force: true });
    });

    const tally = (list: Outcome[]) =>
      list.reduce<Record<string, number>>((acc, r) => {
        const key = String(r.status ?? r.error);
        return { ...acc, [key]: (acc[key] ?? 0) + 1 };
      }, {});

    /** Waits for the outbox to empty, then checks that the SMTP server accepted each row exactly once. */
    async function expectEveryMailSentOnce() {
      await waitUntil(
        'the outbox is empty',
        async () => (await shop.outboxRows()).every((r) => r.status !== 'pending' && r.status !== 'sending'),
        30_000,
      );
      const rows = await shop.outboxRows();
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      const accepted: Record<string, number> = {};
      for (const m of mail.received) accepted[m.notificationId] = (accepted[m.notificationId] ?? 0) + 1;
      expect(accepted).toEqual(Object.fromEntries(rows.map((r) => [r.id, 1])));
      // Each claim counts an attempt: one per row, plus one per refusal. A row claimed twice
      // without a failure (a double send in the making) would show here too.
      expect(rows.reduce((sum, r) => sum + r.attempts, 0)).toBe(rows.length + mail.refused());
      return rows;
    }

    it('sells a hot variant exactly as far as its stock goes, whichever instance takes each checkout', async () => {
      const product = await shop.newProduct(5);
      const variantId = product.variants[0]!.id;
      const carts = await Promise.all(Array.from({ length: 36 }, (_, i) => shop.guestCart(i, variantId)));

      const results = await Promise.all(carts.map((headers, i) => shop.checkout(shop.pick(i + 2), headers)));

      expect(tally(results)).toEqual({ 201: 5, 409: 31 });
      for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ code: 'out_of_stock' });
      // Every instance took its share of the rush.
      for (const instance of fleet) expect(results.filter((r) => r.instance === instance.name)).toHaveLength(12);
      expect(await shop.stockOf(variantId)).toEqual({ on_hand: 5, reserved: 5 });
      expect(await shop.ledgerOf(variantId)).toEqual({ on_hand: 5, reserved: 5, reservations: 5, lowest: 0 });
      expect(await shop.ordersWith(variantId)).toBe(5);
    });

    it('sends every e-mail exactly once, with the outbox worker of every instance sending', async () => {
      mail.pause();
      // Mail enqueued through the API of every instance (a welcome e-mail per new account)…
      const emails = Array.from({ length: 15 }, (_, i) => `member${i}.${Date.now()}@example.com`);
      const registered = await Promise.all(
        emails.map((email, i) =>
          call(shop.pick(i), 'POST', '/api/v1/auth/register', {
            body: { email, password: 'correct horse battery', name: `Member ${i}` },
          }),
        ),
      );
      for (const r of registered) expectStatus(r, 201);
      // …and a backlog due all at once, which every worker polls for.
      await shop.enqueueBacklog('backlog', 45);
      // A worker sends one message at a time and claims at most 10: with 60 due and every send held,
      // each worker finds some, and three held at once are one per instance.
      await waitUntil('every instance is mid-send', () => mail.waiting() === fleet.length);
      mail.refuseNext(5);
      mail.resume();

      const rows = await expectEveryMailSentOnce();
      expect(mail.refused()).toBe(5);
      const welcomed = mail.received.filter((m) => emails.includes(m.to[0]!)).map((m) => m.to[0]);
      expect(welcomed.sort()).toEqual([...emails].sort());
      // Every send is logged by the instance that made it, once (the line follows the row's update).
      const sentBy = () => fleet.map((i) => i.mailsSent());
      await waitUntil('every send is logged', () => sentBy().reduce((a, b) => a + b, 0) >= rows.length);
      expect(sentBy().reduce((a, b) => a + b, 0)).toBe(rows.length);
      for (const n of sentBy()) expect(n).toBeGreaterThan(0);
    });

    it('pokes a device connected to one instance about a change made through another', async () => {
      const [a, b, c] = fleet as [Instance, Instance, Instance];
      const product = await shop.newProduct(10);
      const onA = await client.events(a, admin);
      const onC = await client.events(c, admin);
      expect([onA.status, onC.status]).toEqual([200, 200]);
      // Each instance listens on a connection of its own, opened for its first device.
      await waitUntil('a and c listen', async () => (await shop.listeners()) === 2);
      const before = [onA.pokes(), onC.pokes()];

      expectStatus(
        await call(b, 'PATCH', `/api/v1/admin/products/${product.id}`, {
          headers: admin,
          body: { name: 'Renamed on b' },
        }),
        200,
      );
      await waitUntil('a and c are poked', () => onA.pokes() > before[0]! && onC.pokes() > before[1]!, 5000);

      // And back the other way: a stock change through a reaches the device on c.
      const seen = onC.pokes();
      const adjusted = await call(a, 'POST', '/api/v1/admin/inventory/adjustments', {
        headers: admin,
        body: { variantId: product.variants[0]!.id, delta: 3, reason: 'received' },
      });
      expect(adjusted.status).toBe(201);
      await waitUntil('c is poked', () => onC.pokes() > seen, 5000);

      await Promise.all([onA.close(), onC.close()]);
      // The last device gone, each instance gives its LISTEN connection up.
      await waitUntil('nobody listens', async () => (await shop.listeners()) === 0);
    });

    it('drains an instance on SIGTERM under load: each request it accepted is answered, each acknowledged write committed', async ({
      annotate,
    }) => {
      const [a, b, c] = fleet as [Instance, Instance, Instance];
      const product = await shop.newProduct(100_000);
      const variantId = product.variants[0]!.id;

      // "Accepted" here: b's HTTP server has read the request's headers and handed it to the app
      // (Node's 'request' event). The request log, the app's first middleware, logs each such request
      // exactly once when it ends ('request completed' or 'request aborted', under the X-Request-Id the
      // client sent), so b's log lists what b accepted. A request b never read (its connection refused
      // once b stopped listening, or reset before b read it) is not accepted: a load balancer may send
      // it to another instance. b's exit code 0 rules out a crash that would leave accepted requests
      // unlogged.

      // Load spread over the instances, as a load balancer would; b leaves the rotation once it has exited.
      const targets = [a, b, c];
      let stop = false;
      const shoppers = Array.from({ length: 4 }, (_, w) =>
        shop.shopper(w, targets, variantId, product.slug, () => stop),
      );
      await waitUntil('every instance serves shoppers', () =>
        targets.every((i) => client.outcomes.filter((o) => o.instance === i.name && o.status).length >= 10),
      );

      // In b's hands when SIGTERM comes: two writes whose bodies follow only during the drain, a
      // device's event stream, and a send of its outbox worker.
      const heldCart = await shop.guestCart(0, variantId);
      const emptyCart = expectStatus<{ cart: { id: string }; token: string }>(
        await call(a, 'POST', '/api/v1/cart'),
        201,
      );
      const heldAdd = client.hold(b, '/api/v1/cart/items', {
        headers: { 'X-Cart-Token': emptyCart.token },
        body: { variantId, quantity: 2 },
      });
      const heldCheckout = client.hold(b, '/api/v1/checkout', {
        headers: { ...heldCart, 'Idempotency-Key': `held-${product.id}` },
        body: { email: 'held@example.com', shippingAddress: shop.address },
      });
      await Promise.all([heldAdd.accepted, heldCheckout.accepted]);
      const device = await client.events(b, admin);
      mail.pause();
      await shop.enqueueBacklog('drain', 30); // 3 claims of 10: one each, all held
      await waitUntil('every instance is mid-send', () => mail.waiting() === fleet.length);

      const sigtermAt = Date.now();
      b.proc.child.kill('SIGTERM');
      await waitUntil('b refuses new connections', () => refusesConnections(b));
      await waitUntil("b ends the device's stream", () => device.state() !== 'open');
      expect(device.state()).toBe('ended');
      const [added, ordered] = await Promise.all([heldAdd.release(), heldCheckout.release()]);
      expect(added.outcome).toMatchObject({ status: 200 });
      expect(ordered.outcome).toMatchObject({ status: 201, body: { order: { status: 'pending_payment' } } });
      // Answered during the drain: the client must not reuse the connection.
      expect([added.connection, ordered.connection]).toEqual(['close', 'close']);
      mail.resume();
      expect(await b.proc.exited).toEqual({ code: 0, signal: null });
      const drainMs = Date.now() - sigtermAt;
      expect(b.proc.stdout()).toContain('"msg":"shutdown complete"');
      // The send in flight at SIGTERM was finished and recorded before the database closed.
      expect(b.mailsSent(SHUTTING_DOWN)).toBeGreaterThan(0);

      // A load balancer's health check takes b out; the others carry on a little longer.
      targets.splice(targets.indexOf(b), 1);
      const handled = client.outcomes.length;
      await waitUntil('a and c serve on', () => client.outcomes.length >= handled + 20);
      stop = true;
      const flows = (await Promise.all(shoppers)).flat();

      // What b logged is exactly what it accepted: every such request got its full answer, not a 5xx.
      const logged = b.requests();
      const toB = client.outcomes.filter((o) => o.instance === 'b');
      for (const [id, line] of logged) {
        expect(line.msg, id).toBe('request completed');
        expect(line.status, id).toBeLessThan(500);
        const seen = toB.find((o) => o.id === id);
        expect(seen, id).toMatchObject({ status: line.status });
        expect(seen?.error, id).toBeUndefined();
      }
      // Whatever failed on b failed before b read it (refused, or reset unread): a load balancer retries those.
      const failed = toB.filter((o) => o.error !== undefined);
      for (const o of failed) {
        expect(logged.has(o.id), o.id).toBe(false);
        expect(o.status, o.id).toBeUndefined();
      }
      expect(toB.filter((o) => o.status !== undefined).every((o) => logged.has(o.id))).toBe(true);
      const inFlight = toB.filter((o) => o.sentAt < sigtermAt && o.doneAt > sigtermAt && o.status !== undefined);
      expect(inFlight.length).toBeGreaterThanOrEqual(3); // the two held writes and the device's stream
      // The other instances never failed a request.
      for (const o of client.outcomes) {
        if (o.status !== undefined) expect(o.status, `${o.method} ${o.path}`).toBeLessThan(500);
        if (o.instance !== 'b') expect(o.error, `${o.instance} ${o.method} ${o.path}`).toBeUndefined();
      }

      // Every acknowledged write is in the database.
      await shop.expectCommitted(flows, variantId);
      expect(await shop.cartLine(emptyCart.cart.id, variantId)).toBe(2);
      expect(await shop.orderExists((ordered.outcome.body as { order: { id: string } }).order.id)).toBe(true);
      await expectEveryMailSentOnce();

      // The figures of the run, in the reporter's output (annotations).
      await annotate(
        `rolling restart: ${toB.length} requests sent to b, ${logged.size} accepted (${inFlight.length} across SIGTERM), ` +
          `${failed.length} not accepted ${JSON.stringify(tally(failed))}; ${flows.length} shopper flows; ` +
          `b exited ${drainMs} ms after SIGTERM`,
      );
    });
  },
);
