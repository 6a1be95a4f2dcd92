// Locates the tor executables. Debian puts tor in /usr/sbin, which is often not
// on a normal user's PATH, so the usual install locations are searched too.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

const EXTRA_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

/**
 * Path of the tor binary: $TOR_BINARY if set, else `tor` on PATH or in the usual
 * system directories; null when tor is not installed.
 * Throws when $TOR_BINARY is set but not executable, since ignoring an explicit
 * setting would quietly start OnionChat without its onion service.
 */
export function findTor(): string | null {
  const configured = process.env.TOR_BINARY;
  if (configured) {
    if (!isExecutable(configured)) throw new Error(`TOR_BINARY=${configured} is not an executable file`);
    return configured;
  }
  return findExecutable('tor');
}

/** Path of tor-gencert (authority key tool), preferring the one beside tor. */
export function findTorGencert(torBinary?: string): string | null {
  if (torBinary) {
    const sibling = path.join(path.dirname(torBinary), 'tor-gencert');
    if (isExecutable(sibling)) return sibling;
  }
  return findExecutable('tor-gencert');
}

function findExecutable(name: string): string | null {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...EXTRA_DIRS]) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
