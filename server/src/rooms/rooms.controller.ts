import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { z } from 'zod';
import type { Answer, Room, ServerMessage } from '@onionchat/contract';
import { CurrentActor, type Actor } from '../access/actor.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { uuid } from '../common/schemas.js';
import { MessagesService } from '../messages/messages.service.js';
import { pageQuery, readBody, sendBody, type PageQuery, type SendBody } from '../messages/messages.schemas.js';
import { startEpochBody, type StartEpochBody } from './rooms.schemas.js';
import { RoomsService } from './rooms.service.js';

const id = new ZodBody(uuid);

@Controller('api/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
  ) {}

  @Get()
  async list(@CurrentActor() actor: Actor): Promise<{ rooms: Room[] }> {
    return { rooms: await this.rooms.list(actor) };
  }

  @Get(':id/keys')
  async keys(@CurrentActor() actor: Actor, @Param('id', id) roomId: string): Promise<Answer<'roomKeys'>> {
    return { keys: await this.rooms.keys(actor, roomId) };
  }

  @Post(':id/keys')
  startEpoch(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(startEpochBody)) body: StartEpochBody,
  ): Promise<Answer<'startEpoch'>> {
    return this.rooms.startEpoch(actor, roomId, body);
  }

  @Get(':id/messages')
  page(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Query(new ZodBody(pageQuery)) query: PageQuery,
  ): Promise<{ messages: ServerMessage[]; hasMore: boolean }> {
    return this.messages.page(actor, roomId, query);
  }

  @Post(':id/messages')
  send(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(sendBody)) body: SendBody,
  ): Promise<Answer<'sendMessage'>> {
    return this.messages.send(actor, roomId, body);
  }

  @Delete(':id/messages/:messageId')
  @HttpCode(204)
  erase(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Param('messageId', id) messageId: string,
  ): Promise<void> {
    return this.messages.erase(actor, roomId, messageId);
  }

  @Post(':id/read')
  @HttpCode(200)
  read(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(readBody)) body: z.infer<typeof readBody>,
  ): Promise<Answer<'markRead'>> {
    return this.rooms.markRead(actor, roomId, body.seq);
  }

  @Post(':id/delivered')
  @HttpCode(200)
  delivered(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(readBody)) body: z.infer<typeof readBody>,
  ): Promise<Answer<'markDelivered'>> {
    return this.rooms.markDelivered(actor, roomId, body.seq);
  }
}
