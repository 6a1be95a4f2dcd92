// Serves the statically exported web client from the same origin as the API.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { pagePolicies, SCRIPT_CSP } from '../security/csp.js';
import { precompressed } from './precompressed.js';

/** Next's build output under /_next/static/ is named by content (or build id): never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

let notFoundPage: string | null = null;
let notFoundPolicy: string | null = null;

export function serveWebClient(app: NestExpressApplication, webDir: string): boolean {
  if (!existsSync(path.join(webDir, 'index.html'))) return false;
  const policies = pagePolicies(webDir);
  const hashedAssets = path.resolve(webDir, '_next', 'static') + path.sep;
  const headers = (res: Response, file: string) => {
    const resolved = path.resolve(file);
    const policy = policies.get(resolved) ?? (file.endsWith('.js') ? SCRIPT_CSP : undefined);
    if (policy) res.setHeader('Content-Security-Policy', policy);
    if (resolved.startsWith(hashedAssets)) res.setHeader('Cache-Control', IMMUTABLE);
  };
  // The build's gzip and brotli copies first, for clients that take them; the files as they are otherwise.
  app.use(precompressed(webDir, headers));
  app.useStaticAssets(webDir, {
    index: 'index.html',
    redirect: true,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: headers,
  });
  const page = path.join(webDir, '404.html');
  notFoundPage = existsSync(page) ? page : null;
  notFoundPolicy = notFoundPage ? (policies.get(path.resolve(notFoundPage)) ?? null) : null;
  return true;
}

/** Unknown pages (not API calls) get the client's own 404 page. */
export function sendNotFoundPage(req: Request, res: Response): boolean {
  if (!notFoundPage || req.path.startsWith('/api/') || req.method !== 'GET' || !req.accepts('html')) return false;
  if (notFoundPolicy) res.setHeader('Content-Security-Policy', notFoundPolicy);
  res.status(404).sendFile(notFoundPage);
  return true;
}
