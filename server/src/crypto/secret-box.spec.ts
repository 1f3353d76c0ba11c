import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const k1 = { id: 'aaaa1111', key: randomBytes(32) };
  const k2 = { id: 'bbbb2222', key: randomBytes(32) };

  it('round-trips, never stores the plaintext, and uses a fresh IV each time', () => {
    const box = new SecretBox(k1);
    const a = box.seal('my-app-secret', 'account:1');
    const b = box.seal('my-app-secret', 'account:1');
    expect(a).not.toContain('my-app-secret');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1:aaaa1111:')).toBe(true);
    expect(box.open(a, 'account:1')).toBe('my-app-secret');
  });

  it('refuses a tampered value, another aad, or an unknown key', () => {
    const box = new SecretBox(k1);
    const sealed = box.seal('secret', 'x');
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[4] ?? '', 'base64url');
    ct[0] = (ct[0] ?? 0) ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join(':'), 'x')).toThrow();
    expect(() => box.open(sealed, 'y')).toThrow();
    expect(() => new SecretBox(k2).open(sealed, 'x')).toThrow(/unknown key aaaa1111/);
  });

  it('opens values sealed under a previous key after rotation, and seals under the new one', () => {
    const old = new SecretBox(k1).seal('rotate-me');
    const rotated = new SecretBox(k2, [k1]);
    expect(rotated.open(old)).toBe('rotate-me');
    expect(rotated.keyIdOf(rotated.seal('rotate-me'))).toBe('bbbb2222');
  });
});
