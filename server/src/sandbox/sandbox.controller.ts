import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  type PipeTransform,
} from '@nestjs/common';
import type { SandboxAccount, SandboxCustomer, SandboxInbox, SandboxPushResult } from '@inbox/shared';
import { CurrentAuth, Roles, type AuthContext } from '../auth/auth.context';
import { AppError } from '../common/app-error';
import { CreateSandboxCustomerDto, OPENID, SandboxEventDto, SandboxFaultDto, SandboxMessageDto } from './sandbox.dto';
import { SandboxService } from './sandbox.service';

const accountId = new ParseUUIDPipe({ exceptionFactory: () => new AppError('accounts/not_found', 'No such account') });

/** A malformed openid is answered like an unknown one. */
const openid: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!OPENID.test(value)) throw new AppError('http/not_found', 'No such sandbox customer');
    return value;
  },
};

/** The sandbox's control API (mounted only with SANDBOX=1): play customers, see their phone, break WeChat. */
@Controller('sandbox')
export class SandboxController {
  constructor(@Inject(SandboxService) private readonly sandbox: SandboxService) {}

  /** Only the accounts the caller may see (the same object-level rule as the rest of the API). */
  @Get('accounts')
  accounts(@CurrentAuth() auth: AuthContext): Promise<SandboxAccount[]> {
    return this.sandbox.listAccounts(auth.user);
  }

  @Get('accounts/:id/customers')
  async customers(@CurrentAuth() auth: AuthContext, @Param('id', accountId) id: string): Promise<SandboxCustomer[]> {
    await this.sandbox.assertCanSee(auth.user, id);
    return this.sandbox.listCustomers(id);
  }

  @Post('accounts/:id/customers')
  async createCustomer(
    @CurrentAuth() auth: AuthContext,
    @Param('id', accountId) id: string,
    @Body() body: CreateSandboxCustomerDto,
  ): Promise<SandboxCustomer> {
    await this.sandbox.assertCanSee(auth.user, id);
    return this.sandbox.createCustomer(id, body);
  }

  /** Answers once WeChat is done delivering: accepted, or after the last of its 4 deliveries. */
  @Post('accounts/:id/customers/:openid/messages')
  @HttpCode(200)
  async message(
    @CurrentAuth() auth: AuthContext,
    @Param('id', accountId) id: string,
    @Param('openid', openid) user: string,
    @Body() body: SandboxMessageDto,
  ): Promise<SandboxPushResult> {
    await this.sandbox.assertCanSee(auth.user, id);
    return this.sandbox.sendMessage(id, user, body);
  }

  @Post('accounts/:id/customers/:openid/events')
  @HttpCode(200)
  async event(
    @CurrentAuth() auth: AuthContext,
    @Param('id', accountId) id: string,
    @Param('openid', openid) user: string,
    @Body() body: SandboxEventDto,
  ): Promise<SandboxPushResult> {
    await this.sandbox.assertCanSee(auth.user, id);
    return this.sandbox.sendEvent(id, user, body);
  }

  @Get('accounts/:id/customers/:openid/inbox')
  async inbox(
    @CurrentAuth() auth: AuthContext,
    @Param('id', accountId) id: string,
    @Param('openid', openid) user: string,
  ): Promise<SandboxInbox> {
    await this.sandbox.assertCanSee(auth.user, id);
    return this.sandbox.inbox(id, user);
  }

  @Put('accounts/:id/fault')
  @Roles('admin')
  @HttpCode(204)
  setFault(@Param('id', accountId) id: string, @Body() body: SandboxFaultDto): Promise<void> {
    return this.sandbox.setFault(id, body);
  }

  @Delete('accounts/:id/fault')
  @Roles('admin')
  @HttpCode(204)
  clearFault(@Param('id', accountId) id: string): Promise<void> {
    return this.sandbox.clearFault(id);
  }
}
