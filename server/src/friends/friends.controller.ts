import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { z } from 'zod';
import type { Answer, FriendsList } from '@onionchat/contract';
import { CurrentActor, type Actor } from '../access/actor.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { uuid } from '../common/schemas.js';
import { acceptBody, usernameBody, type AcceptBody } from './friends.schemas.js';
import { FriendsService } from './friends.service.js';

type UsernameBody = z.infer<typeof usernameBody>;
const id = new ZodBody(uuid);

@Controller('api')
export class FriendsController {
  constructor(private readonly friends: FriendsService) {}

  @Get('friends')
  overview(@CurrentActor() actor: Actor): Promise<FriendsList> {
    return this.friends.overview(actor);
  }

  @Post('friends/requests')
  request(
    @CurrentActor() actor: Actor,
    @Body(new ZodBody(usernameBody)) body: UsernameBody,
  ): Promise<Answer<'requestFriend'>> {
    return this.friends.request(actor, body.username);
  }

  @Post('friends/requests/:id/accept')
  accept(
    @CurrentActor() actor: Actor,
    @Param('id', id) requestId: string,
    @Body(new ZodBody(acceptBody)) body: AcceptBody,
  ): Promise<Answer<'acceptFriend'>> {
    return this.friends.accept(actor, requestId, body);
  }

  @Delete('friends/requests/:id')
  @HttpCode(204)
  dismiss(@CurrentActor() actor: Actor, @Param('id', id) requestId: string) {
    return this.friends.dismiss(actor, requestId);
  }

  @Delete('friends/:userId')
  @HttpCode(204)
  unfriend(@CurrentActor() actor: Actor, @Param('userId', id) userId: string) {
    return this.friends.unfriend(actor, userId);
  }

  @Post('blocks')
  @HttpCode(201)
  block(@CurrentActor() actor: Actor, @Body(new ZodBody(usernameBody)) body: UsernameBody) {
    return this.friends.block(actor, body.username);
  }

  @Delete('blocks/:userId')
  @HttpCode(204)
  unblock(@CurrentActor() actor: Actor, @Param('userId', id) userId: string) {
    return this.friends.unblock(actor, userId);
  }
}
