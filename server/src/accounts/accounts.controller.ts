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
import type { Account } from '@inbox/shared';
import { AppError } from '../common/app-error';
import { CurrentAuth, Roles, type AuthContext } from '../auth/auth.context';
import { CreateAccountDto, SetMembersDto, UpdateAccountDto } from './accounts.dto';
import { AccountsService } from './accounts.service';

/** A malformed id is answered like an unknown one. */
const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppError('accounts/not_found', 'No such account') });

@Controller('accounts')
export class AccountsController {
  constructor(@Inject(AccountsService) private readonly accounts: AccountsService) {}

  @Post()
  @Roles('admin')
  create(@Body() body: CreateAccountDto): Promise<Account> {
    return this.accounts.create(body);
  }

  @Get()
  list(@CurrentAuth() auth: AuthContext): Promise<Account[]> {
    return this.accounts.list(auth.user);
  }

  @Get(':id')
  get(@CurrentAuth() auth: AuthContext, @Param('id', uuid) id: string): Promise<Account> {
    return this.accounts.get(id, auth.user);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id', uuid) id: string, @Body() body: UpdateAccountDto): Promise<Account> {
    return this.accounts.update(id, body);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(@Param('id', uuid) id: string): Promise<void> {
    return this.accounts.remove(id);
  }

  @Get(':id/members')
  @Roles('admin')
  members(@Param('id', uuid) id: string): Promise<{ userIds: string[] }> {
    return this.accounts.getMembers(id);
  }

  @Put(':id/members')
  @Roles('admin')
  setMembers(@Param('id', uuid) id: string, @Body() body: SetMembersDto): Promise<{ userIds: string[] }> {
    return this.accounts.setMembers(id, body.userIds);
  }
}
