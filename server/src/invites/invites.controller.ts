import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { Answer } from '@onionchat/contract';
import { CurrentActor, type Actor } from '../access/actor.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { uuid } from '../common/schemas.js';
import { InvitesService } from './invites.service.js';

@Controller('api/invites')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Get()
  async list(@CurrentActor() actor: Actor): Promise<Answer<'invites'>> {
    return { invites: await this.invites.list(actor) };
  }

  @Post()
  create(@CurrentActor() actor: Actor): Promise<Answer<'createInvite'>> {
    return this.invites.create(actor);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@CurrentActor() actor: Actor, @Param('id', new ZodBody(uuid)) id: string) {
    return this.invites.revoke(actor, id);
  }
}
