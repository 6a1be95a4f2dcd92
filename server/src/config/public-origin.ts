// The origin people use to reach the service: PUBLIC_ORIGIN, else the onion name from
// ONION_HOSTNAME_FILE (written by tor), else the loopback address it listens on.
import { readFile } from 'node:fs/promises';
import type { Config } from './config.js';
import { ONION_HOST } from '@onionchat/contract';

/** Tor writes the hostname once its keys exist; a fresh deployment may start first. */
async function waitForHostname(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const name = await readFile(file, 'utf8').then(
      (t) => t.trim(),
      () => '',
    );
    if (ONION_HOST.test(name)) return name;
    if (Date.now() > deadline) throw new Error(`no onion hostname appeared in ${file}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Fills in config.PUBLIC_ORIGIN and returns it. */
export async function resolvePublicOrigin(config: Config, timeoutMs = 120_000): Promise<string> {
  if (!config.PUBLIC_ORIGIN && config.ONION_HOSTNAME_FILE) {
    config.PUBLIC_ORIGIN = `http://${await waitForHostname(config.ONION_HOSTNAME_FILE, timeoutMs)}`;
  }
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return config.PUBLIC_ORIGIN ?? `http://${host}:${config.PORT}`;
}
