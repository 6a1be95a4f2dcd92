// Entry point: validate settings, start the server on loopback, announce the first
// invite when the service has no accounts yet.
import { Logger } from '@nestjs/common';
import { createApp, listen } from './app.js';
import { loadConfig } from './config/config.js';
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

async function main(): Promise<void> {
  survive(new Logger('Process'));
  const config = loadConfig();
  const origin = await resolvePublicOrigin(config);
  const app = await createApp(config);
  await listen(app, config);
  const logger = new Logger('OnionChat');
  logger.log(`listening on ${origin} (registration: ${config.REGISTRATION})`);
  await announceFirstAccount(app, [origin]);
}

main().catch((err: unknown) => {
  process.stderr.write(`OnionChat could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
