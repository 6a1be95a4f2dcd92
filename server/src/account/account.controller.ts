import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Answer } from '@onionchat/contract';
import type { z } from 'zod';
import { toBase64 } from '@onionchat/protocol';
import { CurrentActor, type Actor } from '../access/actor.js';
import { clearSessionCookie } from '../access/session-cookie.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { uuid } from '../common/schemas.js';
import { passphraseChangeRequest, type PassphraseChangeRequest } from '../auth/auth.schemas.js';
import { userView } from '../users/user.view.js';
import { AccountService } from './account.service.js';
import {
  bundleUpdateRequest,
  deleteAccountRequest,
  publishKeysRequest,
  type BundleUpdateRequest,
  type DeleteAccountRequest,
} from './account.schemas.js';

@Controller('api/account')
export class AccountController {
  private readonly changeBody: ZodBody<ReturnType<typeof passphraseChangeRequest>>;
  private readonly bundleBody: ZodBody<ReturnType<typeof bundleUpdateRequest>>;

  constructor(private readonly account: AccountService) {
    this.changeBody = new ZodBody(passphraseChangeRequest(account.maxBundleBytes));
    this.bundleBody = new ZodBody(bundleUpdateRequest(account.maxBundleBytes));
  }

  @Get()
  async me(@CurrentActor() actor: Actor): Promise<Answer<'account'>> {
    return { user: userView(await this.account.me(actor)) };
  }

  @Get('bundle')
  async bundle(@CurrentActor() actor: Actor): Promise<Answer<'bundle'>> {
    const user = await this.account.me(actor);
    return { kdfParams: toBase64(user.kdfParams), keyBundle: toBase64(user.keyBundle) };
  }

  @Post('bundle')
  @HttpCode(204)
  async replaceBundle(@CurrentActor() actor: Actor, @Body() raw: unknown) {
    await this.account.replaceBundle(actor, this.bundleBody.transform(raw) as BundleUpdateRequest);
  }

  @Post('keys')
  @HttpCode(200)
  async publishKeys(
    @CurrentActor() actor: Actor,
    @Body(new ZodBody(publishKeysRequest)) body: z.infer<typeof publishKeysRequest>,
  ): Promise<Answer<'publishKeys'>> {
    return { user: userView(await this.account.publishKeys(actor, body)) };
  }

  @Post('passphrase')
  @HttpCode(200)
  async changePassphrase(@CurrentActor() actor: Actor, @Body() raw: unknown): Promise<Answer<'changePassphrase'>> {
    const body = this.changeBody.transform(raw) as PassphraseChangeRequest;
    return { user: userView(await this.account.changePassphrase(actor, body)) };
  }

  /** Deletes the account and everything of it; the session ends with it. */
  @Delete()
  @HttpCode(204)
  async remove(
    @CurrentActor() actor: Actor,
    @Body(new ZodBody(deleteAccountRequest)) body: DeleteAccountRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.account.deleteAccount(actor, body);
    clearSessionCookie(res);
  }

  @Get('sessions')
  async sessions(@CurrentActor() actor: Actor): Promise<Answer<'sessions'>> {
    return { sessions: await this.account.sessionsOf(actor) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  async endSession(
    @CurrentActor() actor: Actor,
    @Param('id', new ZodBody(uuid)) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.account.endSession(actor, id);
    if (id === actor.sessionId) clearSessionCookie(res);
  }
}
