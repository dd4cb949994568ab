import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../../../shared/domain/errors.js';
import { zodIssuesToFieldErrors } from '../../http/route.js';
import { validationError } from '../../http/errors.js';
import { imageUploadFields } from './media.schemas.js';
import { tooLarge } from './media.service.js';

export const FILE_FIELD = 'file';

/** Multer's limit errors, as the problems a client can act on. */
function fromMulter(err: unknown, maxBytes: number): AppError {
  if (!(err instanceof multer.MulterError)) {
    // Busboy's complaints about the body itself (no boundary, cut-off form, bad part headers).
    const detail = err instanceof Error ? err.message : 'unreadable';
    return new AppError('bad_request', `The multipart body is malformed: ${detail}`, { cause: err });
  }
  const field = err.field ? `body.${err.field}` : 'body';
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return tooLarge(maxBytes);
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return new AppError('validation_failed', `Send exactly one file, in the form field "${FILE_FIELD}"`, {
        errors: [{ path: field, message: `only one file is accepted, in the field "${FILE_FIELD}"` }],
      });
    default:
      return new AppError('validation_failed', `The form is not acceptable: ${err.message}`, {
        errors: [{ path: field, message: err.message }],
      });
  }
}

/**
 * Parses a multipart/form-data upload into memory: one file in `file`, a few short text fields.
 * Anything but multipart is refused up front, so a raw body never reaches the handler.
 */
export function imageUpload(maxBytes: number): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    // This multer treats each limit as the largest value allowed, so fileSize is the limit itself.
    limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 4096, fieldNameSize: 100, parts: 6 },
  }).single(FILE_FIELD);
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      next(
        new AppError(
          'unsupported_media_type',
          `Send the image as multipart/form-data, with the file in the field "${FILE_FIELD}"`,
        ),
      );
      return;
    }
    parse(req, res, (err: unknown) => next(err ? fromMulter(err, maxBytes) : undefined));
  };
}

/** The validated upload: the file's bytes and name plus the text fields. */
export function uploadInput(req: Request): { data: Buffer; filename?: string; alt?: string; id?: string } {
  const fields = imageUploadFields.safeParse({ ...(req.body as object) });
  const errors = fields.success ? [] : zodIssuesToFieldErrors(fields.error, 'body');
  if (!req.file)
    errors.push({ path: `body.${FILE_FIELD}`, message: `is required: attach the image as "${FILE_FIELD}"` });
  if (errors.length > 0 || !req.file || !fields.success) throw validationError(errors);
  return { data: req.file.buffer, filename: req.file.originalname, alt: fields.data.alt, id: fields.data.id };
}
