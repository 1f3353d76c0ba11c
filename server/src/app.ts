import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { registerWechatWebhookRoutes } from './channels/wechat/wechat-webhook.routes';
import { WechatWebhookService } from './channels/wechat/wechat-webhook.service';
import { AllExceptionsFilter } from './common/exception.filter';
import { PinoNestLogger } from './common/logger';
import { createValidationPipe } from './common/validation.pipe';
import { InboxIoAdapter } from './realtime/io.adapter';
import type { AppConfig } from './config/config';

/** The built console (`web/dist`), when it has been built. */
export function consoleDir(): string | undefined {
  try {
    const dir = join(dirname(require.resolve('@inbox/web/package.json')), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the Nest application (not yet listening) on an initialised, migrated DataSource. */
export async function createApp(
  config: AppConfig,
  dataSource: DataSource,
  logger: Logger,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: true,
    bodyLimit: 1024 * 1024,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource, logger), adapter, {
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  const io = new InboxIoAdapter(app, {
    databaseUrl: (dataSource.options as { url: string }).url,
    redisUrl: config.redisUrl,
    logger,
  });
  await io.connect();
  app.useWebSocketAdapter(io);
  app.setGlobalPrefix('api', { exclude: ['webhooks/{*path}', 'sandbox/{*path}'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  await app.register(fastifyCookie);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (req, reply, payload) => {
      void reply.header('x-request-id', req.id);
      return payload;
    });

  registerWechatWebhookRoutes(app.getHttpAdapter().getInstance(), app.get(WechatWebhookService), logger);

  const docs = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('WeChat inbox API').setVersion('0.1.0').addCookieAuth('inbox_session').build(),
  );
  SwaggerModule.setup('api/docs', app, docs);

  const web = consoleDir();
  if (web) {
    await app.register(fastifyStatic, { root: web, prefix: '/', wildcard: true, index: ['index.html'] });
  } else {
    logger.warn('The console is not built (npm run build); only the API is served.');
  }
  return app;
}
