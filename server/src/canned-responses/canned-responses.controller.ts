import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import type { CannedResponse } from '@inbox/shared';
import { CurrentAuth, Roles, type AuthContext } from '../auth/auth.context';
import { CreateCannedResponseDto, ListCannedResponsesQuery, UpdateCannedResponseDto } from './canned-responses.dto';
import { CannedResponsesService } from './canned-responses.service';

@Controller('canned-responses')
export class CannedResponsesController {
  constructor(@Inject(CannedResponsesService) private readonly canned: CannedResponsesService) {}

  /** The global ones and those of the accounts the caller may see (`accountId`: global + that account's). */
  @Get()
  list(@CurrentAuth() auth: AuthContext, @Query() q: ListCannedResponsesQuery): Promise<CannedResponse[]> {
    return this.canned.list(auth.user, q.accountId);
  }

  @Post()
  @Roles('admin', 'supervisor')
  create(@CurrentAuth() auth: AuthContext, @Body() body: CreateCannedResponseDto): Promise<CannedResponse> {
    return this.canned.create(auth.user, body);
  }

  @Patch(':id')
  @Roles('admin', 'supervisor')
  update(
    @CurrentAuth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateCannedResponseDto,
  ): Promise<CannedResponse> {
    return this.canned.update(auth.user, id, body);
  }

  @Delete(':id')
  @Roles('admin', 'supervisor')
  @HttpCode(204)
  remove(@CurrentAuth() auth: AuthContext, @Param('id') id: string): Promise<void> {
    return this.canned.remove(auth.user, id);
  }
}
