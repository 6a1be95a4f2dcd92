// Entry point: validate settings, start the server on loopback, announce the first
// invite when the service has no accounts yet.
import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { loadConfig } from './config/config.js';
import { resolvePublicOrigin } from './config/public-origin.js';
import { InvitesService, inviteLink } from './invites/invites.service.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const origin = await resolvePublicOrigin(config);
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
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
