// The privacy proof run when a browser test stops its server: the full database dump,
// every file in storage and everything the server printed are searched for each secret
// the test used (raw, hex and base64), and the server's output for client addresses.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { dumpDatabase } from '../../../server/test-support/database.js';
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
