import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import type { RevokedSessions, User } from '@inbox/shared';
import { CurrentAuth, Roles, type AuthContext } from '../auth/auth.context';
import { AppError } from '../common/app-error';
import { CreateUserDto, ResetPasswordDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

/** A malformed id is answered like an unknown one. */
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('users/not_found', 'No such user') });

@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Post()
  create(@Body() body: CreateUserDto): Promise<User> {
    return this.users.create(body);
  }

  @Get()
  list(): Promise<User[]> {
    return this.users.list();
  }

  /** Name, role, disabled. Disabling revokes every session; role changes re-scope live sockets. */
  @Patch(':id')
  update(@CurrentAuth() auth: AuthContext, @Param('id', uuid) id: string, @Body() body: UpdateUserDto): Promise<User> {
    return this.users.update(auth.user.id, id, body);
  }

  /** Admin password reset; every session of the user is revoked. */
  @Post(':id/password')
  @HttpCode(204)
  resetPassword(@Param('id', uuid) id: string, @Body() body: ResetPasswordDto): Promise<void> {
    return this.users.resetPassword(id, body.password);
  }

  /** Log a user out everywhere. */
  @Delete(':id/sessions')
  @HttpCode(200)
  revokeSessions(@Param('id', uuid) id: string): Promise<RevokedSessions> {
    return this.users.revokeSessions(id);
  }

  /** Remove a user's second factor (lost device); the 2FA policy then makes them enrol again. */
  @Delete(':id/totp')
  @HttpCode(204)
  resetTotp(@Param('id', uuid) id: string): Promise<void> {
    return this.users.resetTotp(id);
  }
}
