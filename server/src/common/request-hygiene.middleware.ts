// Cheap checks before any handler: state-changing requests must come from our own
// origin (CSRF defence on top of SameSite=Strict cookies) and bodies must be JSON.
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error.js';
import { isSameOrigin } from '../security/same-origin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

/** Encrypted file content is the one body that is not JSON. */
function isUploadPath(req: Request): boolean {
  return req.method === 'PUT' && /^\/api\/files\/[^/]+\/content$/.test(req.path);
}

const isOctetStream = (req: Request) => req.is('application/octet-stream') === 'application/octet-stream';

export function requestHygiene(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  if (!isSameOrigin(req.headers)) {
    return next(new ApiError(403, 'bad_origin', 'This request came from another site and was refused.'));
  }
  if (!hasBody(req)) return next();
  // An upload parsed as JSON would reach the handler with its content already consumed.
  if (isUploadPath(req) && !isOctetStream(req)) {
    return next(
      new ApiError(
        415,
        'unsupported_media_type',
        'Send file content as raw bytes (Content-Type: application/octet-stream).',
      ),
    );
  }
  if (!isUploadPath(req) && !req.is('application/json')) {
    return next(new ApiError(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).'));
  }
  next();
}
