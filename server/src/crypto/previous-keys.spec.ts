import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, keyIdOf, loadConfig } from '../config/config';
import { SecretBox } from './secret-box';

const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) });
const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);
const k3 = Buffer.alloc(32, 3);

describe('APP_SECRET_KEY_PREVIOUS', () => {
  it('reads one or more old keys (hex or base64, comma-separated) that the SecretBox can still open', () => {
    const c = loadConfig({
      ...base(),
      APP_SECRET_KEY: k3.toString('base64'),
      APP_SECRET_KEY_PREVIOUS: `${k1.toString('hex')}, ${k2.toString('base64')}`,
    });
    expect(c.previousSecretKeys.map((k) => k.id)).toEqual([keyIdOf(k1), keyIdOf(k2)]);
    const old = new SecretBox({ id: keyIdOf(k1), key: k1 }).seal('app-secret', 'account:x');
    const box = new SecretBox({ id: c.secretKeyId, key: c.secretKey }, c.previousSecretKeys);
    expect(box.open(old, 'account:x')).toBe('app-secret');
    expect(box.keyIdOf(box.seal('new', 'a'))).toBe(keyIdOf(k3));
    expect(loadConfig(base()).previousSecretKeys).toEqual([]);
  });

  it('refuses a bad one with a one-line reason that never echoes the value', () => {
    let err: unknown;
    try {
      loadConfig({ ...base(), APP_SECRET_KEY_PREVIOUS: `${k1.toString('hex')},my-old-secret` });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/APP_SECRET_KEY_PREVIOUS must be one or more 32-byte keys/);
    expect((err as Error).message).not.toContain('my-old-secret');
  });
});
