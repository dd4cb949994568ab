import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids.js';
import { categories, products } from '../../db/schema/index.js';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../../test/harness.js';

type Body = Record<string, unknown>;
interface Node {
  id: string;
  name: string;
  slug: string;
  children: Node[];
}
let app: TestApp;
let staff: Record<string, string>;
beforeAll(async () => {
  app = await createTestApp();
  staff = (await userWithRole(app, 'staff')).auth;
});
afterAll(() => app.close());

const post = (body: Body) => app.request.post('/api/v1/admin/categories').set(staff).send(body);
const made = async (body: Body) => (await post(body).expect(201)).body as Node & { parentId: string | null };
const patch = (id: string, body: Body) => app.request.patch(`/api/v1/admin/categories/${id}`).set(staff).send(body);
const remove = (id: string) => app.request.delete(`/api/v1/admin/categories/${id}`).set(staff);
const errorPaths = (res: { body: { errors?: { path: string }[] } }) => (res.body.errors ?? []).map((e) => e.path);
const row = async (id: string) => (await app.nexus.ctx.db.select().from(categories).where(eq(categories.id, id)))[0];
const total = async () => (await app.nexus.ctx.db.select({ n: count() }).from(categories))[0]!.n;
const tree = async () => (await app.request.get('/api/v1/categories').expect(200)).body as Node[];
const find = (nodes: Node[], id: string): Node | undefined => {
  for (const n of nodes) {
    if (n.id === id) return n;
    const below = find(n.children, id);
    if (below) return below;
  }
  return undefined;
};
const product = async (categoryIds: string[]) =>
  (
    await app.request
      .post('/api/v1/admin/products')
      .set(staff)
      .send({ name: 'Thing', categoryIds, variants: [{ sku: `C-${newId()}`, priceCents: 100 }] })
      .expect(201)
  ).body as { id: string; categoryIds: string[]; version: number };

describe(`categories: create and read (${TEST_DB})`, () => {
  it('generates unique slugs and keeps an explicit one', async () => {
    const a = await made({ name: 'Home & Garden' });
    const b = await made({ name: 'Home & Garden' });
    expect([a.slug, b.slug]).toEqual(['home-and-garden', 'home-and-garden-2']);
    expect((await made({ name: 'Anything', slug: 'my-own-slug' })).slug).toBe('my-own-slug');
    expect(await row(a.id)).toMatchObject({ name: 'Home & Garden', parentId: null });
  });

  it('serves the public tree with nested children, without a token', async () => {
    const root = await made({ name: 'Clothing', position: 1 });
    const men = await made({ name: 'Men', parentId: root.id, position: 2 });
    const women = await made({ name: 'Women', parentId: root.id, position: 1 });
    const shirts = await made({ name: 'Shirts', parentId: men.id });
    const nodes = await tree();
    const clothing = nodes.find((n) => n.id === root.id)!;
    expect(clothing).toBeDefined();
    expect(clothing.children.map((c) => c.id)).toEqual([women.id, men.id]);
    expect(find(clothing.children, men.id)!.children).toMatchObject([{ id: shirts.id, name: 'Shirts', children: [] }]);
    // Children appear only under their parent, never also at the root.
    expect(nodes.some((n) => n.id === men.id || n.id === shirts.id)).toBe(false);
    const flat = (await app.request.get('/api/v1/admin/categories').set(staff).expect(200)).body.items as Body[];
    expect(flat.find((c) => c.id === shirts.id)).toMatchObject({ parentId: men.id, slug: 'shirts' });
  });

  it('refuses bad input with 422 or 409 and creates nothing', async () => {
    await made({ name: 'Unique', slug: 'unique-cat' });
    const before = await total();
    expect((await post({ name: 'Other', slug: 'unique-cat' }).expect(409)).body.code).toBe('conflict');
    expect(errorPaths(await post({ name: 'Orphan', parentId: newId() }).expect(422))).toEqual(['body.parentId']);
    expect(errorPaths(await post({ name: '' }).expect(422))).toContain('body.name');
    expect(errorPaths(await post({ name: 'X', slug: 'Bad Slug' }).expect(422))).toContain('body.slug');
    expect(errorPaths(await post({ name: 'X', parentId: 'nope' }).expect(422))).toContain('body.parentId');
    expect(errorPaths(await post({ name: 'X', colour: 'red' }).expect(422))).toContain('body.colour');
    expect(await total()).toBe(before);
  });
});

describe(`categories: move, rename, delete (${TEST_DB})`, () => {
  it('moves a category under another parent and back to the root', async () => {
    const a = await made({ name: 'Move A' });
    const b = await made({ name: 'Move B' });
    const moved = await patch(b.id, { parentId: a.id, name: 'Move B2' }).expect(200);
    expect(moved.body).toMatchObject({ parentId: a.id, name: 'Move B2', slug: b.slug });
    expect(find(await tree(), a.id)!.children.map((c) => c.id)).toEqual([b.id]);
    await patch(b.id, { parentId: null }).expect(200);
    expect((await tree()).some((n) => n.id === b.id)).toBe(true);
  });

  it('refuses cycles, self-parenting and unknown parents (422) without moving anything', async () => {
    const top = await made({ name: 'Cycle Top' });
    const mid = await made({ name: 'Cycle Mid', parentId: top.id });
    const leaf = await made({ name: 'Cycle Leaf', parentId: mid.id });
    for (const [id, parentId] of [
      [top.id, leaf.id],
      [top.id, mid.id],
      [mid.id, mid.id],
      [mid.id, newId()],
    ] as const) {
      const res = await patch(id, { parentId }).expect(422);
      expect(res.body.code).toBe('validation_failed');
      expect(errorPaths(res)).toEqual(['body.parentId']);
    }
    expect((await row(top.id))!.parentId).toBeNull();
    expect((await row(mid.id))!.parentId).toBe(top.id);
    // Moving a leaf up the tree is not a cycle.
    expect((await patch(leaf.id, { parentId: top.id }).expect(200)).body.parentId).toBe(top.id);
  });

  it('refuses a slug another category has (409) and unknown ids (404)', async () => {
    const a = await made({ name: 'Slug A' });
    const b = await made({ name: 'Slug B' });
    expect((await patch(b.id, { slug: a.slug, name: 'Changed' }).expect(409)).body.code).toBe('conflict');
    expect(await row(b.id)).toMatchObject({ slug: b.slug, name: 'Slug B' });
    await patch(newId(), { name: 'Ghost' }).expect(404);
    await patch(newId(), { parentId: a.id }).expect(404);
    await patch(a.id, {}).expect(422);
    await remove(newId()).expect(404);
    await remove('not-a-uuid').expect(422);
  });

  it('refuses to delete a category with children (409)', async () => {
    const parent = await made({ name: 'Has Kids' });
    await made({ name: 'Kid', parentId: parent.id });
    const res = await remove(parent.id).expect(409);
    expect(res.body.code).toBe('conflict');
    expect(await row(parent.id)).toBeDefined();
  });

  it('deleting a leaf removes it from products, keeping their other categories', async () => {
    const keep = await made({ name: 'Keep Me' });
    const leaf = await made({ name: 'Leaf Me' });
    const both = await product([keep.id, leaf.id]);
    const only = await product([leaf.id]);
    const other = await product([keep.id]);
    await remove(leaf.id).expect(204);
    expect(await row(leaf.id)).toBeUndefined();
    const ids = async (id: string) => (await app.nexus.ctx.db.select().from(products).where(eq(products.id, id)))[0]!;
    expect((await ids(both.id)).categoryIds).toEqual([keep.id]);
    expect((await ids(only.id)).categoryIds).toEqual([]);
    expect(await ids(other.id)).toMatchObject({ categoryIds: [keep.id], version: other.version });
    // The membership change is a product edit the back-office must pull.
    expect((await ids(both.id)).version).toBeGreaterThan(both.version);
    await remove(leaf.id).expect(404);
  });
});
