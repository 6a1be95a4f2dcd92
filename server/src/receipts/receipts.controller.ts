import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import type { Answer } from '@onionchat/contract';
import { CurrentActor, type Actor } from '../access/actor.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { uuid } from '../common/schemas.js';
import { receiptBody, type ReceiptBody } from './receipts.schemas.js';
import { ReceiptsService } from './receipts.service.js';

const id = new ZodBody(uuid);

@Controller('api/rooms')
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Get(':id/receipts')
  list(@CurrentActor() actor: Actor, @Param('id', id) roomId: string): Promise<Answer<'receipts'>> {
    return this.receipts.list(actor, roomId);
  }

  @Put(':id/receipt')
  @HttpCode(204)
  save(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(receiptBody)) body: ReceiptBody,
  ): Promise<void> {
    return this.receipts.save(actor, roomId, body);
  }
}
