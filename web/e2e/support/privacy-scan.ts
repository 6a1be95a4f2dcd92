// The privacy proof run when a browser test stops its server: the full database dump,
// every file in storage and everything the server printed are searched for each secret
// the test used (raw, hex and base64), and the server's output for client addresses.
// A test can also search what a page's browser keeps for its site (local and session
// storage, IndexedDB, Cache Storage, cookies) and the files of a browser profile.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { dumpDatabase } from '../../../server/test-support/database.js';
import type { Page } from 'playwright-core';
import type { Secret } from './secrets.js';

export interface Place {
  name: string;
  bytes: Buffer;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

export async function placesToScan(dbUrl: string, filesDir: string, output: string): Promise<Place[]> {
  return [
    { name: 'database dump', bytes: Buffer.from(await dumpDatabase(dbUrl)) },
    { name: 'server output', bytes: Buffer.from(output) },
    ...filesUnder(filesDir).map((file) => ({
      name: `storage file ${path.relative(filesDir, file)}`,
      bytes: readFileSync(file),
    })),
  ];
}

/** Every file of a browser profile (or any folder), as places to search. */
export function filesIn(dir: string, label: string): Place[] {
  if (!existsSync(dir)) return [];
  return filesUnder(dir).map((file) => ({ name: `${label} ${path.relative(dir, file)}`, bytes: readFileSync(file) }));
}

/**
 * What the page's browser keeps for its site: every local and session storage entry,
 * every record of every IndexedDB database, every Cache Storage response, and the
 * cookies. Binary values come back as their bytes, so a secret in them is found too.
 */
export async function browserStoragePlaces(page: Page): Promise<Place[]> {
  const dumped = await page.evaluate(async () => {
    const toBase64 = (bytes: Uint8Array) => {
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    };
    const parts: Array<{ name: string; text?: string; base64?: string }> = [];
    const walk = (name: string, value: unknown, depth = 0): void => {
      if (depth > 20 || value === null || value === undefined) return;
      if (typeof value === 'string') parts.push({ name, text: value });
      else if (value instanceof ArrayBuffer) parts.push({ name, base64: toBase64(new Uint8Array(value)) });
      else if (ArrayBuffer.isView(value)) {
        parts.push({ name, base64: toBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) });
      } else if (typeof value === 'object') {
        for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
          parts.push({ name, text: key });
          walk(name, inner, depth + 1);
        }
      } else parts.push({ name, text: String(value) });
    };
    for (const [label, storage] of [
      ['localStorage', localStorage],
      ['sessionStorage', sessionStorage],
    ] as const) {
      for (let index = 0; index < storage.length; index += 1) {
        const key = storage.key(index)!;
        parts.push({ name: label, text: `${key}=${storage.getItem(key)}` });
      }
    }
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const records = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        walk(`IndexedDB ${info.name}/${store}`, records);
      }
      db.close();
    }
    if ('caches' in self) {
      for (const cacheName of await caches.keys()) {
        const cache = await caches.open(cacheName);
        for (const request of await cache.keys()) {
          const response = await cache.match(request);
          parts.push({ name: `Cache Storage ${cacheName}`, text: request.url });
          if (response) {
            parts.push({
              name: `Cache Storage ${cacheName}`,
              base64: toBase64(new Uint8Array(await response.arrayBuffer())),
            });
          }
        }
      }
    }
    return parts;
  });
  const places = new Map<string, Buffer[]>();
  for (const part of dumped) {
    const bytes = part.base64 !== undefined ? Buffer.from(part.base64, 'base64') : Buffer.from(part.text ?? '');
    places.set(part.name, [...(places.get(part.name) ?? []), bytes, Buffer.from('\n')]);
  }
  const cookies = await page.context().cookies();
  places.set(
    'cookies',
    cookies.map((cookie) => Buffer.from(`${cookie.name}=${cookie.value}\n`)),
  );
  return [...places].map(([name, chunks]) => ({ name: `browser ${name}`, bytes: Buffer.concat(chunks) }));
}

function encodings(bytes: Buffer): Buffer[] {
  return [bytes, Buffer.from(bytes.toString('hex')), Buffer.from(bytes.toString('base64').replace(/=+$/, ''))];
}

/** Every (secret, place) pair where the place holds the secret in some encoding. */
export function findSecrets(secrets: Secret[], places: Place[]): string[] {
  return secrets.flatMap((secret) =>
    places
      .filter((place) => encodings(secret.bytes).some((form) => place.bytes.includes(form)))
      .map((place) => `${secret.what} found in ${place.name}`),
  );
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** True if some word of the line is an IPv4 or IPv6 address (with or without a port). */
function hasAddress(line: string): boolean {
  return line
    .replace(ANSI, '')
    .split(/[\s,;()"'<>=/]+/)
    .flatMap((word) => [word, word.replace(/^\[|\](:\d+)?$/g, ''), word.replace(/:\d+$/, '')])
    .some((word) => isIP(word) !== 0 || word.includes('::ffff:'));
}

/**
 * Lines of server output that carry an address. Only the start-up line may name the
 * server's own listening address; no request, error or socket event may log any.
 */
export function linesWithAddresses(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => !/listening on http:\/\/127\.0\.0\.1:\d+ /.test(line))
    .filter((line) => !/^\s*http:\/\/127\.0\.0\.1:\d+\/signup\/#invite=/.test(line))
    .filter(hasAddress);
}
