// Entry point: validate settings, start the server on loopback, announce the first
// invite when the service has no accounts yet.
import { Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { createApp } from './app.js';
import { loadConfig } from './config/config.js';
import { InvitesService, inviteLink } from './invites/invites.service.js';

const ONION = /^[a-z2-7]{56}\.onion$/;

/** Tor writes the hostname once its keys exist; a fresh deployment may start first. */
async function waitForHostname(file: string, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const name = await readFile(file, 'utf8').then((t) => t.trim(), () => '');
    if (ONION.test(name)) return name;
    if (Date.now() > deadline) throw new Error(`no onion hostname appeared in ${file}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.ONION_HOSTNAME_FILE && !config.PUBLIC_ORIGIN) {
    config.PUBLIC_ORIGIN = `http://${await waitForHostname(config.ONION_HOSTNAME_FILE)}`;
  }
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  const origin =
    config.PUBLIC_ORIGIN ?? `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`;
  const logger = new Logger('OnionChat');
  logger.log(`listening on ${origin} (registration: ${config.REGISTRATION})`);
  const token = await app.get(InvitesService).firstAccountInvite();
  if (token) {
    // Printed to the operator's terminal only; the log line itself carries no token.
    process.stdout.write(
      `\nNo accounts yet. Create the first one with this single-use link:\n\n  ${inviteLink(origin, token)}\n\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`OnionChat could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
