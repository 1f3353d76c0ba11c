import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentAuth, type AuthContext } from '../auth/auth.context';
import { MediaService } from './media.service';

@Controller('media')
export class MediaController {
  constructor(@Inject(MediaService) private readonly media: MediaService) {}

  /** A customer's image, voice or video, for users who may see the conversation's account. */
  @Get(':messageId')
  async get(
    @CurrentAuth() auth: AuthContext,
    @Param('messageId') messageId: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { stream, contentType } = await this.media.open(auth.user, messageId);
    await reply
      .header('content-type', contentType)
      .header('cache-control', 'private, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  }
}
