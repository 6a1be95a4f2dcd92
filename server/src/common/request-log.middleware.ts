// Access log without identifying data: method, route path (no query string, which could
// carry tokens), status and duration. Never the client address, cookies or bodies.
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('HTTP');

export function requestLog(req: Request, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    if (!req.path.startsWith('/api/')) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.log(`${req.method} ${redactIds(req.path)} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  next();
}

/** Ids in paths are not secret but link requests together; the log does not need them. */
function redactIds(path: string): string {
  return path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id');
}
