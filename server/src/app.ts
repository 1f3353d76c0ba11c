import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
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
import { registerOriginCheck } from './auth/origin-check';
import { registerWechatWebhookRoutes } from './channels/wechat/wechat-webhook.routes';
import { MEDIA_LIMITS } from './channels/wechat/wechat-api.client';
import { WechatWebhookService } from './channels/wechat/wechat-webhook.service';
import { AllExceptionsFilter } from './common/exception.filter';
import { PinoNestLogger } from './common/logger';
import { runWithRequestContext } from './common/request-context';
import { createValidationPipe } from './common/validation.pipe';
import { InboxIoAdapter } from './realtime/io.adapter';
import { mountSandbox } from './sandbox/sandbox.routes';
import { SandboxService } from './sandbox/sandbox.service';
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

/**
 * Security headers (helmet). The CSP lets the console load only its own scripts, styles (inline
 * styles too: Element Plus and the API docs use them), images (and data: URLs, e.g. the 2FA QR
 * code), and connect to this server over HTTP and WebSocket. No CORS: the console is same-origin.
 */
function securityHeaders(publicUrl: string): Parameters<typeof fastifyHelmet>[1] {
  const url = new URL(publicUrl);
  const https = url.protocol === 'https:';
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", `${https ? 'wss' : 'ws'}://${url.host}`],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only makes sense (and is only honoured) over https.
    strictTransportSecurity: https ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  };
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
  app.setGlobalPrefix('api', { exclude: ['webhooks/{*path}', 'sandbox/wechat/{*path}'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, securityHeaders(config.publicUrl));
  // multipart/form-data for image uploads (POST /api/conversations/:id/uploads): one file, at most the size WeChat
  // takes for an image; a larger one is cut off at the limit and refused, never buffered whole.
  await app.register(fastifyMultipart, {
    limits: { files: 1, fileSize: MEDIA_LIMITS.image.maxBytes, fields: 10, fieldSize: 1024, parts: 20 },
  });
  registerOriginCheck(app.getHttpAdapter().getInstance(), config.publicUrl);
  // Every request runs in its own context (client IP, then the user once authenticated) for the audit log.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preHandler', (req, _reply, done) => runWithRequestContext({ ip: req.ip }, done));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (req, reply, payload) => {
      void reply.header('x-request-id', req.id);
      return payload;
    });

  registerWechatWebhookRoutes(app.getHttpAdapter().getInstance(), app.get(WechatWebhookService), logger);
  // WeChat's API side under /sandbox/wechat; sends go there once the server listens (unless WECHAT_API_BASE is set).
  if (config.sandbox) await mountSandbox(app.getHttpAdapter().getInstance(), app.get(SandboxService));

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
