// Content-Security-Policy for the exported web client. Next's static export inlines a few
// bootstrap scripts per page; rather than allowing 'unsafe-inline', each page's policy
// lists the SHA-256 of exactly its own inline scripts, computed once at start-up.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

const BASE_DIRECTIVES = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/**
 * For the client's own scripts. A Web Worker runs under the policy of its script's
 * response, and the bundled file-crypto worker loads its chunks with importScripts.
 */
export const SCRIPT_CSP = "default-src 'none'; script-src 'self'";

/** For responses that are not pages (API, files): nothing may run or load. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * API_CSP plus a sandbox, for API answers relayed into an origin that also serves the client
 * (the local gateway): even a page the server chose is an opaque origin there, with no
 * script, no storage and no service worker of the client's origin.
 */
export const SANDBOXED_API_CSP = `sandbox; ${API_CSP}`;

export function pagePolicy(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)]
    .map((m) => m[1] ?? '')
    .filter((body) => body.length > 0)
    .map((body) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
  const scripts = ["script-src 'self'", ...new Set(hashes)].join(' ');
  return [...BASE_DIRECTIVES, scripts].join('; ');
}

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(full);
    return entry.name.endsWith('.html') ? [full] : [];
  });
}

/** Absolute path of every exported page → its policy. */
export function pagePolicies(webDir: string): Map<string, string> {
  return new Map(htmlFiles(webDir).map((file) => [path.resolve(file), pagePolicy(readFileSync(file, 'utf8'))]));
}
