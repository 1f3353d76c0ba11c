import { Module } from '@nestjs/common';
import { WechatModule } from '../channels/wechat/wechat.module';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryWorker } from './delivery.worker';
import { JobQueue } from './job-queue';

@Module({
  imports: [WechatModule],
  providers: [JobQueue, DeliveryRepository, DeliveryWorker],
  exports: [JobQueue],
})
export class OutboundModule {}
