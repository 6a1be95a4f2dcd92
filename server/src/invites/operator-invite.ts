// The operator's invite command, run outside the HTTP server with the same rules.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/config.js';
import { resolvePublicOrigin } from '../config/public-origin.js';
import { InvitesService, inviteLink } from './invites.service.js';

export async function createOperatorInvite(databaseUrl: string): Promise<{ link: string; hours: number }> {
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl });
  const context = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: ['error'] });
  try {
    const token = await context.get(InvitesService).createForOperator();
    const origin = await resolvePublicOrigin(config, 0);
    return { link: inviteLink(origin, token), hours: config.INVITE_TTL_HOURS };
  } finally {
    await context.close();
  }
}
