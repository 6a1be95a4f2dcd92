import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Answer } from '@onionchat/contract';
import { toBase64 } from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import { CurrentActor, Public, type Actor } from '../access/actor.js';
import { clearSessionCookie, setSessionCookie } from '../access/session-cookie.js';
import { RateLimited } from '../common/rate-limit.js';
import { clientKey } from '../onion/client-key.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { userView } from '../users/user.view.js';
import { kdfRequest, loginRequest, signupRequest } from './auth.schemas.js';
import { AuthService } from './auth.service.js';
import { SessionsService } from './sessions.service.js';
import type { z } from 'zod';

type Signup = z.infer<ReturnType<typeof signupRequest>>;

@Controller('api/auth')
export class AuthController {
  private readonly signupBody: ZodBody<ReturnType<typeof signupRequest>>;

  constructor(
    @Inject(CONFIG) config: Config,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {
    this.signupBody = new ZodBody(signupRequest(config.KEY_BUNDLE_MAX_BYTES));
  }

  @Public()
  @Post('kdf')
  @HttpCode(200)
  @RateLimited('kdf')
  async kdf(@Body(new ZodBody(kdfRequest)) body: z.infer<typeof kdfRequest>): Promise<Answer<'kdf'>> {
    return { kdfParams: toBase64(await this.auth.kdfParams(body.username)) };
  }

  @Public()
  @Post('signup')
  @RateLimited('auth')
  async signup(@Body() raw: unknown, @Res({ passthrough: true }) res: Response): Promise<Answer<'signup'>> {
    const { user, session } = await this.auth.signUp(this.signupBody.transform(raw) as Signup);
    setSessionCookie(res, session.token, this.sessions.maxAgeMs);
    return { user: userView(user) };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @RateLimited('auth')
  async login(
    @Body(new ZodBody(loginRequest)) body: z.infer<typeof loginRequest>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Answer<'login'>> {
    const { user, session } = await this.auth.logIn(body.username, body.authKey, clientKey(req));
    setSessionCookie(res, session.token, this.sessions.maxAgeMs);
    return { user: userView(user), keyBundle: toBase64(user.keyBundle) };
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    await this.sessions.end(actor, actor.sessionId);
    clearSessionCookie(res);
  }

  @Post('logout-all')
  @HttpCode(204)
  async logoutAll(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response) {
    await this.sessions.endAll(actor);
    clearSessionCookie(res);
  }
}
