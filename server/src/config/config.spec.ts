import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';

const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base());
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.wechatApiBase).toBe('https://api.weixin.qq.com');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.logLevel).toBe('info');
    expect(c.sandbox).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be an integer between 0 and 65535 \(got "abc"\)$/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\//],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ APP_SECRET_KEY: 'short' }, /APP_SECRET_KEY must be 32 bytes/],
    [{ WECHAT_API_BASE: 'ftp://x' }, /WECHAT_API_BASE/],
  ])('refuses %j with a one-line reason naming the variable', (env, message) => {
    let err: unknown;
    try {
      loadConfig({ ...base(), ...env });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('never echoes a bad APP_SECRET_KEY', () => {
    expect(() => loadConfig({ ...base(), APP_SECRET_KEY: 'my-secret-value' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('my-secret-value') }),
    );
  });

  it('generates APP_SECRET_KEY into DATA_DIR with mode 0600 once, then reuses it', () => {
    const env = base();
    const first = loadConfig(env);
    const file = join(env.DATA_DIR, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first.secretKey);
    expect(loadConfig(env).secretKey).toEqual(first.secretKey);
    expect(first.secretKeyId).toMatch(/^[0-9a-f]{8}$/);
  });

  it('accepts a hex or base64 APP_SECRET_KEY and turns the sandbox off for an external database', () => {
    const c = loadConfig({
      ...base(),
      APP_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(c.secretKey).toEqual(Buffer.alloc(32, 7));
    expect(c.sandbox).toBe(false);
  });
});
