import { z } from 'zod';
import { problemSchema } from '../../shared/api/common.schemas.js';
import type { RegisteredRoute } from './route.js';

type JsonSchema = Record<string, unknown>;

const DEFS_PREFIX = '#/$defs/';
const COMPONENTS_PREFIX = '#/components/schemas/';

/** Converts a zod schema and hoists named (`.meta({id})`) sub-schemas into components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  delete json.$schema;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          k === '$ref' && typeof v === 'string' && v.startsWith(DEFS_PREFIX)
            ? COMPONENTS_PREFIX + v.slice(DEFS_PREFIX.length)
            : rewrite(v),
        ]),
      );
    }
    return value;
  };
  for (const [name, def] of Object.entries(defs)) components[name] = rewrite(def) as JsonSchema;
  const out = rewrite(json) as JsonSchema;
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id === 'string') {
    const ref = COMPONENTS_PREFIX + id;
    // zod 4 already hoists a named root into $defs and answers a bare $ref to it: keep that
    // definition instead of overwriting it with a $ref to itself.
    if (out.$ref !== ref) components[id] = out;
    return { $ref: ref };
  }
  return out;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Record<string, JsonSchema>) {
  if (!schema) return [];
  const json = toSchema(schema, 'input', components);
  const props = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed request (e.g. invalid JSON)',
  401: 'Missing, expired or invalid access token',
  403: 'The caller lacks the required role',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Validation failed; `errors` lists each field',
  429: 'Rate limited',
};

export function buildOpenApi(routes: RegisteredRoute[], info: { title: string; version: string }) {
  const components: Record<string, JsonSchema> = {};
  const problemRef = toSchema(problemSchema, 'output', components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.fullPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const status = route.status ?? 200;
    const errorStatuses = new Set<number>(route.errors ?? []);
    if (route.body || route.query || route.params) errorStatuses.add(422);
    if (route.body) [400, 413, 415].forEach((s) => errorStatuses.add(s));
    if (route.access !== 'public') errorStatuses.add(401);
    if (route.access === 'staff' || route.access === 'admin') errorStatuses.add(403);
    const responses: Record<string, unknown> = {
      [status]: {
        description: status === 204 ? 'No content' : 'Success',
        ...(route.response && status !== 204
          ? { content: { 'application/json': { schema: toSchema(route.response, 'output', components) } } }
          : {}),
      },
    };
    for (const s of [...errorStatuses].sort()) {
      responses[s] = {
        description: STATUS_TEXT[s] ?? 'Error',
        content: { 'application/problem+json': { schema: problemRef } },
      };
    }
    paths[path] ??= {};
    paths[path][route.method] = {
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      ...(route.access === 'public' ? {} : { security: [{ bearerAuth: [] }] }),
      parameters: [...parameters(route.params, 'path', components), ...parameters(route.query, 'query', components)],
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: toSchema(route.body, 'input', components) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
