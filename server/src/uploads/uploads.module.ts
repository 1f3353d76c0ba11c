import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { UploadsController } from './uploads.controller';
import { UploadsRepository } from './uploads.repository';
import { UploadsService } from './uploads.service';

@Module({
  imports: [AccountsModule],
  controllers: [UploadsController],
  providers: [UploadsRepository, UploadsService],
  exports: [UploadsRepository],
})
export class UploadsModule {}
