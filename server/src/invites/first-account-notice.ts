// At start-up, on an invite-only service with no accounts yet: the single-use link for
// the first account, shown only on an interactive terminal (the operator running
// `npm start`). Captured output (Docker logs, the systemd journal, a file) may be read
// by others, and whoever opens the link first owns the service, so there the output
// says how to make the link instead and carries no token.
import type { INestApplicationContext } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { UsersRepository } from '../users/users.repository.js';
import { InvitesService, inviteLink } from './invites.service.js';

export interface NoticeOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export const MAKE_FIRST_INVITE =
  'No accounts yet. Make the single-use link for the first account with `npm run invite` ' +
  '(in Docker: `docker compose exec app node scripts/invite.mjs`). ' +
  'It is not printed here because this output is not a terminal and may be kept in a log others can read.';

/** Only a terminal is the operator's own screen; anything else may be a log. */
export function maySeeSecrets(out: { isTTY?: boolean }): boolean {
  return out.isTTY === true;
}

export const ONION_LINK_CAVEAT = 'works once tor has published the onion service: the start-up output says when';

/** Where each address is used from, said above its link. */
function whereFrom(origin: string): string {
  const host = new URL(origin).hostname;
  if (host.endsWith('.onion')) return `Through Tor (${ONION_LINK_CAVEAT}):`;
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return 'On this computer:';
  return 'At the public address:';
}

/**
 * The first-account link at each address the service answers on (one token for all:
 * whichever is opened first uses it up). Each link has a line of its own, so it can be
 * copied whole.
 */
export function firstAccountText(origins: readonly string[], token: string): string {
  const links = origins.map((origin) => `  ${whereFrom(origin)}\n  ${inviteLink(origin, token)}`).join('\n\n');
  const either = origins.length > 1 ? ', at either address' : '';
  return `\nNo accounts yet. Create the first one with this single-use link${either}:\n\n${links}\n\n`;
}

async function hasNoAccounts(app: INestApplicationContext): Promise<boolean> {
  return app.get<Config>(CONFIG).REGISTRATION === 'invite' && (await app.get(UsersRepository).count()) === 0;
}

export async function announceFirstAccount(
  app: INestApplicationContext,
  origins: readonly string[],
  out: NoticeOutput = process.stdout,
): Promise<void> {
  if (maySeeSecrets(out)) {
    const token = await app.get(InvitesService).firstAccountInvite();
    if (token) out.write(firstAccountText(origins, token));
  } else if (await hasNoAccounts(app)) {
    // No token is made here: an unseen link would only sit in the database.
    out.write(`\n${MAKE_FIRST_INVITE}\n\n`);
  }
}
