import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';
import { SecretBox } from '../crypto/secret-box';
import { InboxEvents } from '../events/inbox-events';
import type { AppConfig } from './config';

export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');

/** Process-wide singletons made before Nest starts: config, logger and the DataSource. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig, dataSource: DataSource, logger: Logger): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATA_SOURCE, useValue: dataSource },
        { provide: LOGGER, useValue: logger },
        {
          provide: SecretBox,
          useValue: new SecretBox({ id: config.secretKeyId, key: config.secretKey }, config.previousSecretKeys),
        },
        { provide: InboxEvents, useValue: new InboxEvents(logger) },
      ],
      exports: [APP_CONFIG, DATA_SOURCE, LOGGER, SecretBox, InboxEvents],
    };
  }
}
