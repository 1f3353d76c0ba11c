import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/server-process';

interface Service {
  build?: unknown;
  image?: string;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

/** No Docker engine here: check the compose file and the Dockerfile against the app instead. */
describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const envExample = readFileSync(join(ROOT, '.env.example'), 'utf8');
  const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z_]+)=/gm)].map((m) => m[1]));
  const app = compose.services.app as Service;
  const db = compose.services.postgres as Service;

  it('runs PostgreSQL with a healthcheck and a named volume', () => {
    expect(db.image).toMatch(/^postgres:\d+/);
    expect(JSON.stringify(db.healthcheck?.test)).toContain('pg_isready');
    expect(db.volumes?.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
    expect(Object.keys(compose.volumes)).toContain((db.volumes?.[0] ?? '').split(':')[0]);
  });

  it('builds the app, waits for a healthy database and wires DATABASE_URL to it', () => {
    expect(app.build).toBeDefined();
    expect(app.depends_on?.postgres?.condition).toBe('service_healthy');
    const url = new URL(app.environment?.DATABASE_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(db.environment?.POSTGRES_USER);
    expect(url.password).toBe(db.environment?.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${db.environment?.POSTGRES_DB}`);
  });

  it('uses only variables the app reads, publishes its PORT and checks /api/ready', () => {
    for (const name of Object.keys(app.environment ?? {})) expect(documented).toContain(name);
    const port = app.environment?.PORT ?? '3000';
    expect(app.ports?.some((p) => p.endsWith(`:${port}`))).toBe(true);
    expect(JSON.stringify(app.healthcheck?.test)).toContain(`localhost:${port}/api/ready`);
    expect(app.environment?.NODE_ENV).toBe('production');
  });

  it('documents every configuration variable in .env.example', () => {
    const config = readFileSync(join(ROOT, 'server/src/config/config.ts'), 'utf8');
    const schema = config.slice(config.indexOf('const envSchema'), config.indexOf('export interface AppConfig'));
    const read = [...schema.matchAll(/^\s+([A-Z_]+):/gm)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(8);
    for (const name of read) expect(documented).toContain(name);
  });

  it('builds in stages and runs as a non-root user', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER (node|\d+|[a-z]+)\s*$/m);
    expect(dockerfile).not.toMatch(/^USER root/m);
    expect(dockerfile).toMatch(/npm ci/);
    expect(dockerfile).toMatch(/HEALTHCHECK|EXPOSE 3000/);
  });
});
