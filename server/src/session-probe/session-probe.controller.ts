import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Answer } from '@onionchat/contract';
import { Public } from '../access/actor.js';
import { clearSessionCookie, SESSION_COOKIE } from '../access/session-cookie.js';
import { clientKey } from '../onion/client-key.js';
import { SessionProbeService } from './session-probe.service.js';

@Controller('api/session')
export class SessionProbeController {
  constructor(private readonly probes: SessionProbeService) {}

  @Public()
  @Get()
  async current(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Answer<'sessionUser'>> {
    const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    const { user, stale } = await this.probes.probe(token, clientKey(req));
    if (stale) clearSessionCookie(res);
    return { user };
  }
}
