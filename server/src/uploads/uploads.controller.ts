import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Upload } from '@inbox/shared';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentAuth, type AuthContext } from '../auth/auth.context';
import { MEDIA_LIMITS, WechatMediaRejectedError } from '../channels/wechat/wechat-api.client';
import { AppError } from '../common/app-error';
import { UploadsService, type IncomingFile } from './uploads.service';

const FIELD = 'file';

function badBody(reason: string): AppError {
  return new AppError('validation/failed', `Send one image as multipart/form-data in the field "${FIELD}": ${reason}`, {
    [FIELD]: [reason],
  });
}

/**
 * The one file of a multipart body, field `file` (app.ts registers @fastify/multipart with a limit of one file of at
 * most WeChat's image size, so a bigger file is cut off and refused, never buffered whole).
 */
async function readFileField(req: FastifyRequest): Promise<IncomingFile> {
  if (!req.isMultipart()) throw badBody('the request is not multipart/form-data');
  try {
    const part = await req.file();
    if (!part) throw badBody('no file in the request');
    if (part.fieldname !== FIELD) {
      part.file.resume();
      throw badBody(`the file is in the field "${part.fieldname}"`);
    }
    return { data: await part.toBuffer(), fileName: part.filename };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') {
      const limit = MEDIA_LIMITS.image.maxBytes;
      throw new WechatMediaRejectedError(
        'wechat/media_too_large',
        `An image may be at most ${limit / 1024 / 1024} MB`,
        {
          type: 'image',
          size: limit + 1,
          limitBytes: limit,
          contentType: '',
          filename: '',
        },
      );
    }
    throw badBody('the multipart body could not be read');
  }
}

@Controller()
export class UploadsController {
  constructor(@Inject(UploadsService) private readonly uploads: UploadsService) {}

  /** 201 with the stored upload; send it with `{type: 'image', uploadId}`. */
  @Post('conversations/:id/uploads')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [FIELD],
      properties: { [FIELD]: { type: 'string', format: 'binary', description: 'PNG, JPEG or GIF, at most 2 MB' } },
    },
  })
  create(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Req() req: FastifyRequest): Promise<Upload> {
    return this.uploads.create(auth.user, id, () => readFileField(req));
  }

  /** An uploaded file, for users who may see its account. */
  @Get('uploads/:id')
  async get(@CurrentAuth() auth: AuthContext, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const { stream, contentType, size } = await this.uploads.open(auth.user, id);
    await reply
      .header('content-type', contentType)
      .header('content-length', String(size))
      .header('cache-control', 'private, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  }
}
