import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Answer } from '@onionchat/contract';
import { z } from 'zod';
import { CurrentActor, type Actor } from '../access/actor.js';
import { ZodBody } from '../common/zod-body.pipe.js';
import { queryNumber, uuid } from '../common/schemas.js';
import { disappearsAtField } from '../retention/disappears-at.js';
import { FilesService } from './files.service.js';

const id = new ZodBody(uuid);
const createBody = z.object({
  size: z
    .number()
    .int('must be a whole number')
    .min(16, 'is too small to be an encrypted file')
    .max(Number.MAX_SAFE_INTEGER),
  /** Checked in the service (disappearsAtOf), which answers its own codes. */
  disappearsAt: disappearsAtField,
});
const offsetQuery = z.object({ offset: queryNumber(z.number().max(Number.MAX_SAFE_INTEGER)) });

@Controller('api')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('rooms/:id/files')
  create(
    @CurrentActor() actor: Actor,
    @Param('id', id) roomId: string,
    @Body(new ZodBody(createBody)) body: z.infer<typeof createBody>,
  ): Promise<Answer<'createFile'>> {
    return this.files.create(actor, roomId, body.size, body.disappearsAt);
  }

  @Get('rooms/:id/files')
  async list(@CurrentActor() actor: Actor, @Param('id', id) roomId: string): Promise<Answer<'roomFiles'>> {
    return { files: await this.files.list(actor, roomId) };
  }

  @Get('files/:fileId')
  async info(@CurrentActor() actor: Actor, @Param('fileId', id) fileId: string): Promise<Answer<'fileInfo'>> {
    return { file: await this.files.info(actor, fileId) };
  }

  @Put('files/:fileId/content')
  async upload(
    @CurrentActor() actor: Actor,
    @Param('fileId', id) fileId: string,
    @Query(new ZodBody(offsetQuery)) query: z.infer<typeof offsetQuery>,
    @Req() req: Request,
  ): Promise<Answer<'uploadFile'>> {
    return { file: await this.files.upload(actor, fileId, query.offset, req) };
  }

  @Get('files/:fileId/content')
  download(
    @CurrentActor() actor: Actor,
    @Param('fileId', id) fileId: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return this.files.download(actor, fileId, req, res);
  }

  @Delete('files/:fileId')
  @HttpCode(204)
  remove(@CurrentActor() actor: Actor, @Param('fileId', id) fileId: string) {
    return this.files.remove(actor, fileId);
  }
}
