import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_DB, userWithRole, type TestApp } from '../test/harness.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'options', 'head', 'trace'];
const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

let app: TestApp;
let doc: Json;
beforeAll(async () => {
  app = await createTestApp();
  doc = (await app.request.get('/api/openapi.json').expect(200)).body;
});
afterAll(() => app.close());

// Reads a body like supertest would, except that an event stream (which stays open) is read only up to its
// first chunk and then closed: enough to know the route answered.
type Parsed = (err: Error | null, body: unknown) => void;
type RawResponse = NodeJS.ReadableStream & { headers: Record<string, string>; destroy(): void };
const firstChunkOfStreams = (response: unknown, done: Parsed) => {
  const res = response as RawResponse;
  let text = '';
  const streaming = String(res.headers['content-type']).startsWith('text/event-stream');
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    let body: unknown = {};
    try {
      body = text && !streaming ? JSON.parse(text) : {};
    } catch {
      body = { text };
    }
    done(null, body);
  };
  res.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (streaming) {
      finish();
      res.destroy();
    }
  });
  res.on('end', finish);
  res.on('close', finish);
};

const routes = () => app.nexus.routers.flatMap((r) => r.routes);
const operation = (method: string, path: string): Json => {
  const op = doc.paths?.[path]?.[method];
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
  return op;
};

describe(`OpenAPI document (${TEST_DB})`, () => {
  it('is an OpenAPI 3.1.0 document served as JSON', async () => {
    const res = await app.request.get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info).toEqual({ title: expect.any(String), version: expect.any(String) });
    expect(res.body.components.securitySchemes.bearerAuth).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('documents exactly the registered routes', () => {
    expect(routes().length).toBeGreaterThan(10);
    const registered = routes().map((r) => `${r.method.toUpperCase()} ${toOpenApiPath(r.fullPath)}`);
    const documented = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(new Set(registered).size).toBe(registered.length);
    expect([...documented].sort()).toEqual([...registered].sort());
  });

  it('uses the contract paths: {param} templates, no trailing slashes', () => {
    for (const path of Object.keys(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      expect(path).not.toMatch(/\/$/);
      expect(path).not.toContain(':');
    }
    for (const path of ['/api/v1/me', '/api/v1/me/addresses', '/api/v1/me/addresses/{id}', '/api/v1/admin/users']) {
      expect(doc.paths).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths['/api/v1/me'])).toEqual(expect.arrayContaining(['get', 'patch']));
  });

  it('declares every path template parameter as a required path parameter', () => {
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item as Json)) {
        const declared = (op.parameters as Json[]).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort()).toEqual([...names].sort());
        for (const p of declared) expect(p.required).toBe(true);
      }
    }
    expect(operation('patch', '/api/v1/me/addresses/{id}').parameters[0].schema.format).toBe('uuid');
  });

  it('describes the register body with email, password and name required and nothing extra', () => {
    const schema = operation('post', '/api/v1/auth/register').requestBody.content['application/json'].schema;
    expect(operation('post', '/api/v1/auth/register').requestBody.required).toBe(true);
    expect([...schema.required].sort()).toEqual(['email', 'name', 'password']);
    expect(Object.keys(schema.properties).sort()).toEqual(['email', 'name', 'password']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.password.minLength).toBe(8);
  });

  it('has User in components without any password field, and nothing leaks a hash', () => {
    const user = doc.components.schemas.User;
    expect(user).toBeDefined();
    expect(Object.keys(user.properties).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'role']);
    expect(user.properties.role.enum).toEqual(['customer', 'staff', 'admin']);
    expect(doc.components.schemas.AdminUser.properties).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(doc)).not.toMatch(/passwordHash|password_hash/);
    const me = operation('get', '/api/v1/me').responses['200'].content['application/json'].schema;
    expect(me).toEqual({ $ref: '#/components/schemas/User' });
  });

  it('resolves every $ref to a component', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === '$ref') refs.push(child as string);
          else walk(child);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty([ref.split('/').pop()!]);
    }
    expect(JSON.stringify(doc)).not.toContain('$defs');
    // Each component is a real definition, not a $ref to itself.
    for (const [name, schema] of Object.entries(doc.components.schemas as Json)) {
      expect(schema.$ref, name).toBeUndefined();
      expect(schema.type, name).toBe('object');
      expect(Object.keys(schema.properties ?? {}).length, name).toBeGreaterThan(0);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Problem', 'User', 'AuthResult', 'Address']),
    );
    expect(doc.components.schemas.AuthResult.properties.user).toEqual({ $ref: '#/components/schemas/User' });
  });

  it('marks secured routes with bearer security and leaves public ones open', () => {
    for (const r of routes()) {
      const op = operation(r.method, toOpenApiPath(r.fullPath));
      if (r.access === 'public') {
        expect(op.security, `${r.method} ${r.fullPath}`).toBeUndefined();
      } else {
        expect(op.security, `${r.method} ${r.fullPath}`).toEqual([{ bearerAuth: [] }]);
        expect(op.responses).toHaveProperty('401');
      }
    }
    expect(operation('get', '/api/v1/me').security).toBeDefined();
    expect(operation('get', '/api/v1/admin/users').responses).toHaveProperty('403');
    expect(operation('get', '/api/health').security).toBeUndefined();
  });

  it('documents success statuses and problem+json errors', () => {
    const register = operation('post', '/api/v1/auth/register').responses;
    expect(register['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/AuthResult' });
    for (const s of ['400', '409', '413', '415', '422', '429']) {
      expect(register[s].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    const del = operation('delete', '/api/v1/me/addresses/{id}').responses;
    expect(del['204']).toEqual({ description: 'No content' });
    expect(del).toHaveProperty('404');
    expect(doc.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code']),
    );
  });

  it('documents only paths the server actually routes', async () => {
    const { auth } = await userWithRole(app, 'admin');
    for (const r of routes()) {
      const url = r.fullPath.replace(/:[A-Za-z0-9_]+/g, randomUUID());
      const res = await app.request[r.method](url)
        .set(auth)
        .buffer(true)
        .parse(firstChunkOfStreams)
        .send(r.method === 'get' ? undefined : {});
      const unrouted = res.status === 404 && String(res.body.detail).startsWith('No route');
      expect(unrouted, `${r.method.toUpperCase()} ${url}`).toBe(false);
    }
  });
});

describe(`API docs page (${TEST_DB})`, () => {
  it('serves an HTML page that loads Swagger UI and its init script', async () => {
    const res = await app.request.get('/api/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(res.text).toContain('/api/docs/init.js');
    // Helmet's CSP forbids inline script: every script must be an external file.
    for (const tag of res.text.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? []) {
      expect(tag).toMatch(/^<script src="[^"]+"><\/script>$/);
    }
  });

  it('points Swagger UI at /api/openapi.json from the init script', async () => {
    const res = await app.request.get('/api/docs/init.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text).toContain("url: '/api/openapi.json'");
    expect(res.text).toContain('SwaggerUIBundle');
  });

  it('serves the Swagger UI assets locally', async () => {
    const bundle = await app.request.get('/api/docs/assets/swagger-ui-bundle.js').expect(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(Number(bundle.headers['content-length'] ?? bundle.text.length)).toBeGreaterThan(100_000);
    const css = await app.request.get('/api/docs/assets/swagger-ui.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const missing = await app.request.get('/api/docs/assets/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/problem\+json/);
  });
});
