// JSON body parsing with a size limit. body-parser's errors are turned into ApiErrors
// here, where their type is still known, so people get a sentence instead of a stack.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from './api-error.js';

function explain(err: { type?: string }, limit: number): ApiError {
  switch (err.type) {
    case 'entity.too.large':
      return new ApiError(413, 'body_too_large', `The request body is larger than the limit of ${limit} bytes.`);
    case 'entity.parse.failed':
      return new ApiError(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_media_type', 'Send the body as UTF-8 JSON.');
    default:
      return new ApiError(400, 'request_aborted', 'The request body could not be read.');
  }
}

/** A larger limit for the requests `applies` picks (a route whose bodies grow with a configured limit). */
export interface LargerBodies {
  limit: number;
  applies: (method: string, path: string) => boolean;
}

export function jsonBody(limit: number, larger?: LargerBodies): RequestHandler {
  const parse = parser(limit);
  const parseLarger = larger ? parser(larger.limit) : parse;
  return (req: Request, res: Response, next: NextFunction) =>
    (larger?.applies(req.method, req.path) ? parseLarger : parse)(req, res, next);
}

function parser(limit: number): RequestHandler {
  const parse = express.json({ limit, strict: true });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => next(err ? explain(err as { type?: string }, limit) : undefined));
}
