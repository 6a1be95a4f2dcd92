// Identity keys for the private network's nodes, made before any tor starts,
// because every node's torrc must name the authorities by fingerprint.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from './private-dir.js';
import { runCommand } from './run-command.js';

const CERT_LIFETIME_MONTHS = '12';

/**
 * Creates a directory authority's v3 keys in <dataDir>/keys and returns its
 * v3ident (the certificate's fingerprint). The identity key is encrypted with
 * an empty passphrase, given on stdin.
 */
export async function createAuthorityKeys(gencert: string, dataDir: string, dirPort: number): Promise<string> {
  const keys = path.join(dataDir, 'keys');
  await ensurePrivateDir(keys);
  const certificate = path.join(keys, 'authority_certificate');
  // tor-gencert takes the passphrase up to the first newline (or end of input).
  await runCommand(
    gencert,
    [
      '--create-identity-key',
      '--passphrase-fd',
      '0',
      '-i',
      path.join(keys, 'authority_identity_key'),
      '-s',
      path.join(keys, 'authority_signing_key'),
      '-c',
      certificate,
      '-m',
      CERT_LIFETIME_MONTHS,
      '-a',
      `127.0.0.1:${dirPort}`,
    ],
    '\n',
  );
  const fingerprint = /^fingerprint ([0-9A-F]{40})$/m.exec(await readFile(certificate, 'utf8'))?.[1];
  if (!fingerprint) throw new Error(`no fingerprint line in ${certificate}`);
  return fingerprint;
}

/**
 * Creates a node's relay identity key in <dataDir>/keys (tor makes it on first
 * use) and returns its fingerprint as 40 hex digits.
 */
export async function createRelayIdentity(torBinary: string, dataDir: string): Promise<string> {
  await ensurePrivateDir(dataDir);
  const output = await runCommand(torBinary, [
    '--ignore-missing-torrc',
    '-f',
    '/dev/null',
    '--defaults-torrc',
    '/dev/null',
    '--orport',
    '1',
    '--datadirectory',
    dataDir,
    '--list-fingerprint',
  ]);
  // The last line is "<nickname> <fingerprint in groups of 4>".
  const last = output.trim().split('\n').pop() ?? '';
  const fingerprint = last.split(' ').slice(1).join('');
  if (!/^[0-9A-F]{40}$/.test(fingerprint)) throw new Error(`unexpected --list-fingerprint output: ${last}`);
  return fingerprint;
}
