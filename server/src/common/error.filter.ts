// One place that turns anything thrown into the API's error shape. Unknown errors are
// logged (without request data) and answered with a generic 500.
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ApiError } from './api-error.js';
import { sendNotFoundPage } from '../web/static.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/database-unavailable.js';

interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_body',
  401: 'not_logged_in',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function body(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
}

function fromHttpException(err: HttpException): ErrorBody {
  const status = err.getStatus();
  if (err instanceof ApiError) return body(status, err.code, err.message);
  const response = err.getResponse();
  const raw = typeof response === 'object' && response && 'message' in response ? response.message : err.message;
  const message = Array.isArray(raw) ? raw.join('; ') : String(raw);
  return body(status, CODE_BY_STATUS[status] ?? 'error', status === 404 ? 'Not found.' : message);
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const known = this.unavailable(err) ?? err;
    const answer = known instanceof HttpException ? fromHttpException(known) : this.internal(known);
    if (answer.statusCode === 404 && sendNotFoundPage(req, res)) return;
    if (known instanceof ApiError) res.set(known.headers);
    if (!res.headersSent) res.status(answer.statusCode).json(answer);
  }

  /** A lost database is the operator's problem, not a bug: 503, and one line without the driver's details. */
  private unavailable(err: unknown): ApiError | undefined {
    if (!isDatabaseUnavailable(err)) return undefined;
    this.logger.warn('database unavailable; answered 503');
    return databaseUnavailable();
  }

  private internal(err: unknown): ErrorBody {
    this.logger.error(err instanceof Error ? (err.stack ?? err.message) : 'non-error thrown');
    return body(500, 'internal_error', 'Something went wrong on the server. Try again in a moment.');
  }
}
