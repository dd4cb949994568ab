import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, type FieldError } from '../../shared/domain/errors.js';
import type { Problem } from '../../shared/api/common.schemas.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function toProblem(err: AppError, requestId?: string): Problem {
  const problem: Problem = {
    type: `https://nexus.dev/problems/${err.code.replaceAll('_', '-')}`,
    title: TITLES[err.status] ?? 'Error',
    status: err.status,
    detail: err.message,
    code: err.code,
  };
  if (err.errors?.length) problem.errors = err.errors;
  if (err.shortages?.length) problem.shortages = err.shortages;
  if (requestId) problem.requestId = requestId;
  return problem;
}

/** Errors raised by body-parser (inside express.json) carry a `type`; map the ones a client causes. */
function fromBodyParser(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'The request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is larger than this endpoint accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'Unsupported content encoding or charset');
    case 'request.aborted':
      return new AppError('bad_request', 'The request was aborted by the client');
    default:
      return undefined;
  }
}

export function sendProblem(res: Parameters<RequestHandler>[1], err: AppError): void {
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res
    .status(err.status)
    .type('application/problem+json')
    .send(JSON.stringify(toProblem(err, typeof res.req.id === 'string' ? res.req.id : undefined)));
}

/** The one place where thrown errors become HTTP responses. A 500 never carries a stack. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const appError = err instanceof AppError ? err : fromBodyParser(err);
    if (appError) {
      sendProblem(res, appError);
      return;
    }
    (req.log ?? logger).error({ err }, 'unhandled error');
    sendProblem(res, new AppError('internal', 'Something went wrong on our side. The error has been logged.'));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path}`));
};

export function validationError(errors: FieldError[]): AppError {
  return new AppError('validation_failed', 'The request has invalid or missing fields', { errors });
}
