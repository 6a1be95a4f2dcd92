// The web client's files as the browser best takes them: the web build writes a gzip and
// a brotli copy next to each compressible file (web/scripts/precompress.mjs), and this
// sends one of those when the request's Accept-Encoding allows it, with the original's
// type and headers. Onion circuits are slow; a page's scripts shrink to about a third.
// Tor Browser on an http onion address offers gzip (Firefox sends br only on https).
import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';

export type Encoding = 'br' | 'gzip';

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** Every copy the build wrote: the original's path relative to the web directory → its encodings. */
export function findCompressedCopies(webDir: string): Map<string, Set<Encoding>> {
  const copies = new Map<string, Set<Encoding>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const encoding = entry.name.endsWith('.br') ? 'br' : entry.name.endsWith('.gz') ? 'gzip' : null;
        if (!encoding) continue;
        const original = path.relative(webDir, full).slice(0, -SUFFIX[encoding].length).split(path.sep).join('/');
        const set = copies.get(original) ?? new Set<Encoding>();
        set.add(encoding);
        copies.set(original, set);
      }
    }
  };
  walk(webDir);
  return copies;
}

/** q-values of an Accept-Encoding header (names in lower case; missing header: nothing). */
function acceptedEncodings(header: string | undefined): Map<string, number> {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value);
    }
    accepted.set(name.trim().toLowerCase(), Number.isFinite(q) ? q : 0);
  }
  return accepted;
}

/** Brotli when the client takes it (smallest), else gzip, else none. */
export function chooseEncoding(header: string | undefined, available: Set<Encoding>): Encoding | null {
  const accepted = acceptedEncodings(header);
  const q = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  for (const encoding of ['br', 'gzip'] as const) {
    if (available.has(encoding) && q(encoding) > 0) return encoding;
  }
  return null;
}

/** The export's file a request path names, as serve-static finds it (a directory → its index.html). */
export function exportPath(requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0')) return null;
  const relative = (decoded.endsWith('/') ? `${decoded}index.html` : decoded).slice(1);
  // Only names the build wrote are ever served (the lookup is in the list of copies),
  // but no dot-segments or dotfiles either way.
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return null;
  return relative;
}

/**
 * Serves the compressed copy of a file when there is one and the client accepts it;
 * otherwise leaves the request to the plain static files (marked Vary: Accept-Encoding
 * when a copy exists, so no cache hands one form to a client that asked for the other).
 * `headers` sets the original file's own headers (policy, caching) on either answer.
 */
export function precompressed(
  webDir: string,
  headers: (res: Response, file: string) => void,
): (req: Request, res: Response, next: NextFunction) => void {
  const copies = findCompressedCopies(webDir);
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const relative = exportPath(req.path);
    const available = relative === null ? undefined : copies.get(relative);
    if (relative === null || !available) return next();
    res.vary('Accept-Encoding');
    const encoding = chooseEncoding(req.get('accept-encoding'), available);
    if (!encoding) return next();
    const original = path.join(webDir, relative);
    const copy = `${relative}${SUFFIX[encoding]}`;
    stat(path.join(webDir, copy)).then(
      (stats) => {
        res.type(path.extname(original));
        res.setHeader('Content-Encoding', encoding);
        // A validator of this representation, in the form serve-static gives the plain file
        // (res.sendFile follows the app's ETag setting, which is off for the API's answers).
        res.setHeader('ETag', `W/"${stats.size.toString(16)}-${stats.mtime.getTime().toString(16)}"`);
        headers(res, original);
        // Relative to the web directory, so only the export's own path is held to the dotfile rule.
        res.sendFile(copy, { root: webDir, dotfiles: 'deny' }, (error?: Error) => {
          if (!error || res.headersSent) return;
          for (const name of ['Content-Encoding', 'Content-Type', 'ETag']) res.removeHeader(name);
          next();
        });
      },
      // The copy went missing (a rebuild under a running server): the plain file, as it is.
      () => next(),
    );
  };
}
