import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import type { Answer } from '@onionchat/contract';
import { CurrentActor, type Actor } from '../access/actor.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { uuid } from '../common/schemas.js';
import {
  appendRecordBody,
  createGroupBody,
  recordsQuery,
  type AppendRecordBody,
  type CreateGroupBody,
  type RecordsQuery,
} from './groups.schemas.js';
import { GroupsService } from './groups.service.js';

const id = new ZodBody(uuid);

@Controller('api/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Post()
  create(
    @CurrentActor() actor: Actor,
    @Body(new ZodBody(createGroupBody)) body: CreateGroupBody,
  ): Promise<Answer<'createGroup'>> {
    return this.groups.create(actor, body);
  }

  @Get(':id/records')
  records(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Query(new ZodBody(recordsQuery)) query: RecordsQuery,
  ): Promise<Answer<'groupRecords'>> {
    return this.groups.records(actor, roomId, query);
  }

  @Post(':id/records')
  append(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(appendRecordBody)) body: AppendRecordBody,
  ): Promise<Answer<'appendGroupRecord'>> {
    return this.groups.append(actor, roomId, body);
  }
}
