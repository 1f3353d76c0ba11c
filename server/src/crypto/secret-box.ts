import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (AppSecret, Token, EncodingAESKey, access tokens, TOTP seeds): AES-256-GCM under
 * APP_SECRET_KEY. The stored form `v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts) names the
 * key it was made with, so keys can be rotated: old ciphertexts decrypt with the old key while it
 * is still configured as a previous key.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: { id: string; key: Buffer },
    previous: Array<{ id: string; key: Buffer }> = [],
  ) {
    if (current.key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  get keyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, aad = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      this.current.id,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ct.toString('base64url'),
    ].join(':');
  }

  /** Throws when the value was tampered with, bound to another `aad`, or sealed under an unknown key. */
  open(sealed: string, aad = ''): string {
    const [v, keyId, iv, tag, ct] = sealed.split(':');
    if (v !== 'v1' || !keyId || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`secret sealed under unknown key ${keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(sealed: string): string | undefined {
    return sealed.split(':')[1];
  }
}
