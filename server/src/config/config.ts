import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === '1' || v === 'true' || v === 'yes'));

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** Every variable the server reads. `.env.example` documents each one. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z
    .string()
    .default('3000')
    .refine((v) => /^\d+$/.test(v) && Number(v) <= 65535, { message: 'must be an integer between 0 and 65535' })
    .transform(Number),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  APP_SECRET_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== undefined, {
      message: 'must be 32 bytes as 64 hex characters or base64 (openssl rand -base64 32)',
    })
    .optional(),
  APP_SECRET_KEY_PREVIOUS: z
    .string()
    .refine((v) => v === '' || v.split(',').every((k) => decodeKey(k.trim()) !== undefined), {
      message: 'must be one or more 32-byte keys (hex or base64), comma-separated',
    })
    .optional(),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  WECHAT_API_BASE: url(['http:', 'https:']).default('https://api.weixin.qq.com'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  SANDBOX: flag,
  DEMO: flag,
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  EMBEDDED_PG_DIR: z.string().min(1).optional(),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Undefined: start the embedded PostgreSQL in `dataDir/pg`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** 32-byte key for AES-256-GCM encryption of secrets at rest, and its short id. */
  secretKey: Buffer;
  secretKeyId: string;
  /** Keys secrets may still be sealed under (APP_SECRET_KEY_PREVIOUS), until `npm run secrets:rotate`. */
  previousSecretKeys: Array<{ id: string; key: Buffer }>;
  publicUrl: string;
  wechatApiBase: string;
  /** WECHAT_API_BASE was set; otherwise, with the sandbox on, sends go to this server's own `/sandbox/wechat`. */
  wechatApiBaseExplicit: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  sandbox: boolean;
  demo: boolean;
  redisUrl: string | undefined;
  embeddedPgDir: string | undefined;
}

export class ConfigError extends Error {}

function decodeKey(v: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(v)) {
    const buf = Buffer.from(v, 'base64');
    if (buf.length === 32) return buf;
  }
  return undefined;
}

/** Short, stable, non-secret id of a key so ciphertexts name the key they were made with. */
export function keyIdOf(key: Buffer): string {
  // A fingerprint, not the key: HMAC of a constant, first 8 hex chars.
  return createHmac('sha256', key).update('wechat-inbox key id').digest('hex').slice(0, 8);
}

/**
 * Reads and validates the environment once. Throws a ConfigError whose message is one line
 * naming each bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      const got = env[name];
      const shown =
        name === 'APP_SECRET_KEY' ||
        name === 'APP_SECRET_KEY_PREVIOUS' ||
        name === 'ADMIN_PASSWORD' ||
        got === undefined
          ? ''
          : ` (got "${got}")`;
      return `${name} ${i.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration: ${reasons.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(process.cwd(), e.DATA_DIR);
  const secretKey = e.APP_SECRET_KEY ? (decodeKey(e.APP_SECRET_KEY) as Buffer) : loadOrCreateKeyFile(dataDir);
  const embedded = e.DATABASE_URL === undefined;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    secretKey,
    secretKeyId: keyIdOf(secretKey),
    previousSecretKeys: (e.APP_SECRET_KEY_PREVIOUS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '')
      .map((k) => decodeKey(k) as Buffer)
      .map((key) => ({ id: keyIdOf(key), key })),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    wechatApiBase: e.WECHAT_API_BASE.replace(/\/+$/, ''),
    wechatApiBaseExplicit: env.WECHAT_API_BASE !== undefined && env.WECHAT_API_BASE !== '',
    logLevel: e.LOG_LEVEL,
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    // The sandbox is on by default for a local try-out on the embedded database, never silently in production.
    sandbox: e.SANDBOX ?? (embedded && e.NODE_ENV !== 'production'),
    demo: e.DEMO ?? false,
    redisUrl: e.REDIS_URL,
    embeddedPgDir: e.EMBEDDED_PG_DIR,
  };
}

/** `DATA_DIR/secret.key`, created with mode 0600 on first start when APP_SECRET_KEY is unset. */
function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const key = decodeKey(readFileSync(file, 'utf8').trim());
    if (!key) throw new ConfigError(`Invalid configuration: ${file} does not hold a 32-byte key`);
    return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return key;
}
