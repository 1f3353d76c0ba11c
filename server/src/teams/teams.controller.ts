import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
} from '@nestjs/common';
import type { Team } from '@inbox/shared';
import { CurrentAuth, Roles, type AuthContext } from '../auth/auth.context';
import { AppError } from '../common/app-error';
import { SaveTeamDto, SetTeamMembersDto } from './teams.dto';
import { TeamsService } from './teams.service';

/** A malformed id is answered like an unknown one. */
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('teams/not_found', 'No such team') });

/**
 * Everyone signed in reads the teams (to filter and route conversations); supervisors and admins change them
 * (a supervisor only teams within their accounts: TeamsService).
 */
@Controller('teams')
export class TeamsController {
  constructor(@Inject(TeamsService) private readonly teams: TeamsService) {}

  /** Callers who do not see every account get only their colleagues among `memberIds`. */
  @Get()
  list(@CurrentAuth() auth: AuthContext): Promise<Team[]> {
    return this.teams.list(auth.user);
  }

  @Post()
  @Roles('admin', 'supervisor')
  create(@CurrentAuth() auth: AuthContext, @Body() body: SaveTeamDto): Promise<Team> {
    return this.teams.create(auth.user, body.name);
  }

  @Patch(':id')
  @Roles('admin', 'supervisor')
  update(@CurrentAuth() auth: AuthContext, @Param('id', uuid) id: string, @Body() body: SaveTeamDto): Promise<Team> {
    return this.teams.rename(auth.user, id, body.name);
  }

  @Delete(':id')
  @Roles('admin', 'supervisor')
  @HttpCode(204)
  remove(@CurrentAuth() auth: AuthContext, @Param('id', uuid) id: string): Promise<void> {
    return this.teams.remove(auth.user, id);
  }

  @Put(':id/members')
  @Roles('admin', 'supervisor')
  setMembers(
    @CurrentAuth() auth: AuthContext,
    @Param('id', uuid) id: string,
    @Body() body: SetTeamMembersDto,
  ): Promise<Team> {
    return this.teams.setMembers(auth.user, id, body.userIds);
  }
}
