import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import type { Label } from '@inbox/shared';
import { CurrentAuth, Roles, type AuthContext } from '../auth/auth.context';
import { AppError } from '../common/app-error';
import { SaveLabelDto } from './labels.dto';
import { LabelsService } from './labels.service';

/** A malformed id is answered like an unknown one. */
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('labels/not_found', 'No such label') });

/**
 * Everyone signed in reads the labels (to filter and tag conversations); supervisors and admins change them
 * (a supervisor only labels used within their accounts: LabelsService).
 */
@Controller('labels')
export class LabelsController {
  constructor(@Inject(LabelsService) private readonly labels: LabelsService) {}

  @Get()
  list(): Promise<Label[]> {
    return this.labels.list();
  }

  @Post()
  @Roles('admin', 'supervisor')
  create(@Body() body: SaveLabelDto): Promise<Label> {
    return this.labels.create(body.name, body.color);
  }

  @Patch(':id')
  @Roles('admin', 'supervisor')
  update(@CurrentAuth() auth: AuthContext, @Param('id', uuid) id: string, @Body() body: SaveLabelDto): Promise<Label> {
    return this.labels.update(auth.user, id, body.name, body.color);
  }

  @Delete(':id')
  @Roles('admin', 'supervisor')
  @HttpCode(204)
  remove(@CurrentAuth() auth: AuthContext, @Param('id', uuid) id: string): Promise<void> {
    return this.labels.remove(auth.user, id);
  }
}
