import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { AppError, type FieldError } from '../../shared/domain/errors.js';
import { checkAccess, type Access, type AuthContext } from './auth.js';
import { validationError } from './errors.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

export interface HandlerContext<P, Q, B, A extends Access> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  auth: A extends 'public' ? AuthContext | undefined : AuthContext;
  req: Request;
  res: Response;
}

type Result<R> = R extends Schema ? z.input<R> : void;

export interface RouteSpec<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  R extends Schema | undefined = Schema | undefined,
  A extends Access = Access,
> {
  method: Method;
  /** Express path relative to the router's mount point, e.g. `/addresses/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status; 204 sends no body. */
  status?: number;
  /** The success body, parsed on the way out so nothing outside the contract (a hash, say) leaks. */
  response?: R;
  /** Error statuses worth documenting beyond the automatic ones. */
  errors?: number[];
  /** Extra middleware that runs after access checks and before validation (e.g. rate limits). */
  before?: RequestHandler[];
  handler: (ctx: HandlerContext<P, Q, B, A>) => Result<R> | Promise<Result<R>>;
}

export interface RegisteredRoute extends RouteSpec {
  fullPath: string;
}

export function zodIssuesToFieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues
    .map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys.map((key) => ({
        path: [prefix, ...issue.path.map(String), ...(key === undefined ? [] : [key])].join('.'),
        message: issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message,
      }));
    })
    .flat();
}

/** True when the request carries a body (Content-Length > 0 or a chunked transfer). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function parsePart(schema: Schema | undefined, value: unknown, prefix: string, errors: FieldError[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...zodIssuesToFieldErrors(result.error, prefix));
  return undefined;
}

/**
 * A router whose routes are data: each declares its access, zod inputs and output, so the same
 * declaration validates requests, shapes responses and generates the OpenAPI document.
 */
export class ApiRouter {
  readonly router = express.Router();
  readonly routes: RegisteredRoute[] = [];

  constructor(readonly prefix: string) {}

  add<
    P extends Schema | undefined,
    Q extends Schema | undefined,
    B extends Schema | undefined,
    R extends Schema | undefined,
    A extends Access,
  >(spec: RouteSpec<P, Q, B, R, A>): this {
    // `/` is the mount point itself: documented as `/api/v1/me`, not `/api/v1/me/`.
    const fullPath = spec.path === '/' ? this.prefix : this.prefix + spec.path;
    this.routes.push({ ...(spec as unknown as RouteSpec), fullPath });
    const guard: RequestHandler = (req, _res, next) => {
      checkAccess(req.auth, spec.access);
      next();
    };
    const handle: RequestHandler = async (req, res) => {
      if (spec.body && hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
        throw new AppError('unsupported_media_type', 'Send the request body as application/json');
      }
      const errors: FieldError[] = [];
      const params = parsePart(spec.params, req.params, 'params', errors);
      const query = parsePart(spec.query, req.query, 'query', errors);
      const body = parsePart(spec.body, req.body ?? {}, 'body', errors);
      if (errors.length > 0) throw validationError(errors);
      const ctx = { params, query, body, auth: req.auth, req, res } as HandlerContext<P, Q, B, A>;
      const result = await spec.handler(ctx);
      const status = spec.status ?? 200;
      if (status === 204 || !spec.response) {
        res.status(status).end();
        return;
      }
      res.status(status).json(spec.response.parse(result));
    };
    this.router[spec.method](spec.path, guard, ...(spec.before ?? []), handle);
    return this;
  }
}
