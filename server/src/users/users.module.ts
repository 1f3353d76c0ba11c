import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { SecurityModule } from '../auth/security.module';
import { ColleaguesController } from './colleagues.controller';
import { ColleaguesRepository } from './colleagues.repository';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [SecurityModule, AuditModule, AccountsModule],
  controllers: [UsersController, ColleaguesController],
  providers: [UsersRepository, UsersService, ColleaguesRepository],
  exports: [UsersRepository, UsersService],
})
export class UsersModule {}
