import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { createLogger } from '../src/common/logger';
import { loadConfig, type AppConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  ds: DataSource;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real app on its own database, listening on a kernel-chosen port. */
export async function startTestApp(env: Record<string, string> = {}, shared?: { db: TestDatabase }): Promise<TestApp> {
  const db = shared?.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'inbox-test-data-')),
    APP_SECRET_KEY: 'a'.repeat(64),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const ds = createDataSource(db.url, 5);
  await ds.initialize();
  const app = await createApp(config, ds, createLogger(config.logLevel));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    config,
    ds,
    db,
    close: async () => {
      await app.close();
      await ds.destroy();
      if (!shared) await db.drop();
    },
  };
}

/** A tiny cookie-keeping HTTP client over fetch, like a browser tab. */
export class HttpClient {
  cookie = '';
  constructor(private readonly base: string) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
}
