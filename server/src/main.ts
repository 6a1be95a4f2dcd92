// Entry point: validate settings, start the server on loopback, announce the first
// invite when the service has no accounts yet.
import { Logger } from '@nestjs/common';
import { createApp, listen } from './app.js';
import { loadConfig } from './config/config.js';
import type { Config } from './config/config.js';
import { resolvePublicOrigin } from './config/public-origin.js';
import { announceFirstAccount } from './invites/first-account-notice.js';

/**
 * A library promise that rejects with nobody listening (one way the process could die
 * while the database goes away mid-request) must not take every user's connection down
 * with it: log what kind of error it was, no data, and keep serving. A thrown exception
 * still ends the process.
 */
function survive(logger: Logger): void {
  process.on('unhandledRejection', (reason) => {
    // Name and code only: driver messages can carry addresses.
    const code = (reason as { code?: unknown } | null)?.code;
    const what = reason instanceof Error ? reason.name : typeof reason;
    logger.error(`unhandled rejection (kept running): ${what}${typeof code === 'string' ? ` (${code})` : ''}`);
  });
}

/** The address for use on this computer: loopback, even when HOST is a wildcard. */
function localOrigin(config: Pick<Config, 'HOST' | 'PORT'>): string {
  const wildcard = config.HOST === '0.0.0.0' || config.HOST === '::';
  const host = wildcard ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}

function publicAddressLine(origin: string): string {
  return new URL(origin).hostname.endsWith('.onion')
    ? `through Tor: ${origin}/ (reachable once the onion service is published)`
    : `public address: ${origin}/`;
}

async function main(): Promise<void> {
  survive(new Logger('Process'));
  const config = loadConfig();
  const origin = await resolvePublicOrigin(config);
  const app = await createApp(config);
  await listen(app, config);
  const logger = new Logger('OnionChat');
  const local = localOrigin(config);
  // The privacy scan (web/e2e/support/privacy-scan.ts) allows an address only in this line's shape.
  logger.log(`listening on ${local} (registration: ${config.REGISTRATION}): open ${local}/ on this computer`);
  if (origin !== local) logger.log(publicAddressLine(origin));
  await announceFirstAccount(app, origin === local ? [local] : [local, origin]);
}

main().catch((err: unknown) => {
  process.stderr.write(`OnionChat could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
