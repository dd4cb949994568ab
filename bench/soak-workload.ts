/**
 * The soak's shoppers, through the public API and the storefront as a browser would use them:
 * - browse: a category listing or a search, a product, and every third visit a storefront page;
 * - cart: a guest cart, one or two lines, a quantity change, then left (abandoned carts are
 *   what the cart purge is for);
 * - checkout: the same cart, then checkout with an Idempotency-Key and the built-in test
 *   provider's success card, so orders, stock reservations and outbox e-mails all move.
 * Visits start at a fixed rate (open loop) with at most `connections` in flight.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CART_TOKEN_HEADER } from '../shared/api/cart.schemas.js';
import { IDEMPOTENCY_KEY_HEADER } from '../shared/api/checkout.schemas.js';
import { SCENARIOS as CATALOG_PATHS, type Workload } from './catalog-workload.js';
import { SUCCESS_CARD } from './checkout-workload.js';
import type { httpJson, JsonAnswer } from './lib/http-load.js';
import { answerMessage, ErrorLog, type OpEvent } from './soak-stats.js';

export const SHOPPER_EMAIL = 'soak@bench.invalid';

export interface SoakWorkload extends Workload {
  /** Variants of active products with a large stock: what carts and checkouts buy. */
  variants: string[];
}

/** The child's ready line. */
export interface SoakReady {
  url: string;
  database: 'pglite' | 'postgres';
  workload: SoakWorkload;
  staff: { email: string; password: string };
  accessTokenSeconds: number;
  seed: { products: number; variants: number; seconds: number };
}

export const OPS = [
  'catalog list',
  'search',
  'product',
  'storefront page',
  'cart create',
  'cart add',
  'cart quantity',
  'checkout',
  'pay',
  'sync push',
  'sync pull',
] as const;
export type Op = (typeof OPS)[number];

export type Client = ReturnType<typeof httpJson>;

/** Times every request and keeps what went wrong, by operation and status. */
export class Recorder {
  readonly events: OpEvent[] = [];
  readonly errors = new ErrorLog();

  constructor(private readonly startedAt: number) {}

  /**
   * Sends one request; it is `ok` when its status is `expected` and `verify` (if any) finds
   * nothing wrong with the body. A failure is recorded with what the answer said.
   */
  async call(
    op: Op,
    expected: number,
    send: () => Promise<JsonAnswer>,
    verify?: (body: unknown) => string | undefined,
  ): Promise<JsonAnswer & { ok: boolean }> {
    const t0 = performance.now();
    const answer = await send();
    const end = performance.now();
    const wrongStatus = answer.status !== expected;
    const problem = wrongStatus ? answerMessage(answer.status, answer.body) : verify?.(answer.body);
    this.events.push({ at: (end - this.startedAt) / 1000, op, ms: end - t0, ok: !problem });
    if (problem) this.errors.add(op, wrongStatus ? answer.status : `${answer.status} unexpected body`, problem);
    return { ...answer, ok: !problem };
  }

  /** Successful requests of `op` so far. */
  succeeded(op: Op): number {
    return this.events.filter((e) => e.op === op && e.ok).length;
  }
}

/** A cheap deterministic spread of indexes (Knuth's multiplicative hash), so runs repeat. */
const mix = (i: number, salt: number) => (Math.imul(i + 1, 2654435761) ^ Math.imul(salt + 1, 40503)) >>> 0;

export type VisitKind = 'browse' | 'cart' | 'checkout';

/** Percent of visits of each kind: mostly browsing, as in a shop, with real buying mixed in. */
export const VISIT_MIX: readonly [VisitKind, number][] = [
  ['browse', 70],
  ['cart', 15],
  ['checkout', 15],
];

export function visitKind(i: number): VisitKind {
  let r = mix(i, 0) % 100;
  for (const [kind, percent] of VISIT_MIX) {
    if (r < percent) return kind;
    r -= percent;
  }
  return 'browse';
}

const SEARCH_WORDS = ['hoodie', 'espresso', 'backpack', 'walnut', 'merino', 'cofee', 'trail tent'];
const STOREFRONT_PAGES: ((w: Workload, i: number) => string)[] = [
  (w, i) => `/products/${w.slugs[i % w.slugs.length]}`,
  (w, i) => `/categories/${w.categories[i % w.categories.length]}`,
  (_w, i) => `/search?q=${encodeURIComponent(SEARCH_WORDS[i % SEARCH_WORDS.length]!)}`,
  () => '/',
];

/** bench:catalog's request of that name (its search, category browse and product page). */
const catalogPath = (name: string) => CATALOG_PATHS.find((s) => s.name === name)!.path;
const API_PATHS = {
  search: catalogPath('search'),
  list: catalogPath('category browse'),
  product: catalogPath('product page'),
};

async function browse(client: Client, w: SoakWorkload, i: number, rec: Recorder): Promise<void> {
  const first = i % 2 === 0 ? (['catalog list', API_PATHS.list] as const) : (['search', API_PATHS.search] as const);
  await rec.call(first[0], 200, () => client.request('GET', first[1](w, i)));
  await rec.call('product', 200, () => client.request('GET', API_PATHS.product(w, mix(i, 1))));
  if (i % 3 === 0) {
    const page = STOREFRONT_PAGES[Math.floor(i / 3) % STOREFRONT_PAGES.length]!;
    await rec.call('storefront page', 200, () => client.request('GET', page(w, mix(i, 2))));
  }
}

/** A guest cart with one or two lines, the first line's quantity then raised to 2; its token header. */
async function fillCart(client: Client, w: SoakWorkload, i: number, rec: Recorder) {
  const created = await rec.call('cart create', 201, () => client.request('POST', '/api/v1/cart'));
  if (!created.ok) return undefined;
  const headers = { [CART_TOKEN_HEADER]: (created.body as { token: string }).token };
  const lines = new Set(
    Array.from({ length: 1 + (mix(i, 3) % 2) }, (_, k) => w.variants[mix(i, 4 + k) % w.variants.length]!),
  );
  for (const variantId of lines) {
    const added = await rec.call('cart add', 200, () =>
      client.request('POST', '/api/v1/cart/items', { variantId, quantity: 1 }, headers),
    );
    if (!added.ok) return undefined;
  }
  const [first] = lines;
  const changed = await rec.call('cart quantity', 200, () =>
    client.request('PATCH', `/api/v1/cart/items/${first}`, { quantity: 2 }, headers),
  );
  return changed.ok ? headers : undefined;
}

const ADDRESS = {
  name: 'Soak Shopper',
  line1: '1 Long Run Road',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
};

async function checkout(client: Client, w: SoakWorkload, i: number, rec: Recorder): Promise<void> {
  const headers = await fillCart(client, w, i, rec);
  if (!headers) return;
  const placed = await rec.call('checkout', 201, () =>
    client.request(
      'POST',
      '/api/v1/checkout',
      { email: SHOPPER_EMAIL, shippingAddress: ADDRESS },
      { ...headers, [IDEMPOTENCY_KEY_HEADER]: randomUUID() },
    ),
  );
  if (!placed.ok) return;
  const orderId = (placed.body as { order: { id: string } }).order.id;
  await rec.call(
    'pay',
    200,
    () => client.request('POST', '/api/v1/payments/test/confirm', { orderId, card: SUCCESS_CARD }),
    (body) => {
      const status = (body as { status?: unknown } | undefined)?.status;
      return status === 'succeeded' ? undefined : `payment ${String(status)}`;
    },
  );
}

export async function visit(client: Client, w: SoakWorkload, i: number, rec: Recorder): Promise<void> {
  const kind = visitKind(i);
  if (kind === 'browse') return browse(client, w, i, rec);
  if (kind === 'cart') {
    await fillCart(client, w, i, rec);
    return;
  }
  return checkout(client, w, i, rec);
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}
const realClock: Clock = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

export interface VisitCount {
  /** Visits the rate asked for in the run's time. */
  due: number;
  started: number;
  /** Started over a second after their time: the server (or this machine) did not keep up. */
  late: number;
}

/**
 * Starts visit i at `i / rate` seconds, from `connections` workers. A visit whose worker was still
 * busy starts late; once `seconds` have passed, no more start (those in flight finish), so a run
 * that falls behind still ends on time and says how far behind it was.
 */
export async function runVisits(
  run: (i: number) => Promise<void>,
  { rate, connections, seconds }: { rate: number; connections: number; seconds: number },
  clock: Clock = realClock,
): Promise<VisitCount> {
  const t0 = clock.now();
  const count: VisitCount = { due: Math.ceil(seconds * rate), started: 0, late: 0 };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count.due) return;
      const behind = clock.now() - t0 - (i / rate) * 1000;
      if (behind < 0) await clock.sleep(-behind);
      else if (clock.now() - t0 >= seconds * 1000) return;
      else if (behind > 1000) count.late++;
      count.started++;
      await run(i);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return count;
}
