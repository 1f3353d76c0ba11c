/**
 * WeChat Official Account message crypto (WXBizMsgCrypt), see docs §1, §2.2–2.7.
 * Pure functions over node:crypto; no framework or I/O.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type WechatCryptoErrorReason = 'bad_key' | 'bad_length' | 'bad_padding' | 'appid_mismatch';

export class WechatCryptoError extends Error {
  constructor(
    public readonly reason: WechatCryptoErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

/** PKCS#7 block size used by WeChat: the key length (32), not the AES block size (16). */
const PAD_BLOCK = 32;
const RANDOM_LEN = 16;
/** random(16) + msg_len(4) */
const HEADER_LEN = RANDOM_LEN + 4;

/** sha1(join(sort(parts))) as lowercase hex. Plain `.sort()` = UTF-16 code-unit order, as the protocol requires. */
export function sha1Signature(...parts: string[]): string {
  const joined = [...parts].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Constant-time comparison of `expected` against sha1Signature(parts). False when missing or of the wrong length. */
export function verifySignature(expected: string | undefined, ...parts: string[]): boolean {
  if (expected === undefined || expected === '') return false;
  const actual = Buffer.from(sha1Signature(...parts), 'utf8');
  const given = Buffer.from(expected, 'utf8');
  if (given.length !== actual.length) return false;
  return timingSafeEqual(given, actual);
}

/** EncodingAESKey (43 chars [A-Za-z0-9]) → 32-byte AES key. An all-zero key ("A"×43) is valid. */
export function decodeAesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) {
    throw new WechatCryptoError('bad_key', 'EncodingAESKey must be exactly 43 characters of [A-Za-z0-9]');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) {
    throw new WechatCryptoError('bad_key', `EncodingAESKey decodes to ${key.length} bytes, expected 32`);
  }
  return key;
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new WechatCryptoError('bad_key', `AES key must be 32 bytes, got ${key.length}`);
}

/** AES-256-CBC encrypt of random(16) || uint32BE(len) || msg || receiveId, PKCS#7(32), base64. */
export function encrypt(plaintext: string, key: Buffer, receiveId: string, random?: Buffer): string {
  assertKey(key);
  const rnd = random ?? randomBytes(RANDOM_LEN);
  if (rnd.length !== RANDOM_LEN) throw new RangeError(`random must be ${RANDOM_LEN} bytes`);
  const msg = Buffer.from(plaintext, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0); // byte length, not string length
  const body = Buffer.concat([rnd, len, msg, Buffer.from(receiveId, 'utf8')]);
  const n = PAD_BLOCK - (body.length % PAD_BLOCK); // 1..32; a full block when aligned
  const padded = Buffer.concat([body, Buffer.alloc(n, n)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** Strict inverse of {@link encrypt}. Does not check the receiveId; see {@link decryptWithKeys}. */
export function decrypt(encryptB64: string, key: Buffer): { message: string; receiveId: string } {
  assertKey(key);
  const data = Buffer.from(encryptB64, 'base64');
  if (data.length === 0 || data.length % PAD_BLOCK !== 0) {
    throw new WechatCryptoError('bad_length', `ciphertext length ${data.length} is not a non-zero multiple of 32`);
  }
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    // Unreachable for aligned input with auto-padding off, but never let OpenSSL errors escape untyped.
    throw new WechatCryptoError('bad_length', 'AES decryption failed');
  }
  const n = plain[plain.length - 1] ?? 0;
  if (n < 1 || n > PAD_BLOCK) throw new WechatCryptoError('bad_padding', `invalid PKCS#7 pad byte ${n}`);
  for (let i = plain.length - n; i < plain.length; i++) {
    if (plain[i] !== n) throw new WechatCryptoError('bad_padding', 'inconsistent PKCS#7 padding bytes');
  }
  const content = plain.subarray(0, plain.length - n);
  if (content.length < HEADER_LEN) throw new WechatCryptoError('bad_length', 'decrypted content shorter than 20 bytes');
  const msgLen = content.readUInt32BE(RANDOM_LEN);
  if (HEADER_LEN + msgLen > content.length) {
    throw new WechatCryptoError('bad_length', `message length ${msgLen} exceeds decrypted content`);
  }
  return {
    message: content.subarray(HEADER_LEN, HEADER_LEN + msgLen).toString('utf8'),
    receiveId: content.subarray(HEADER_LEN + msgLen).toString('utf8'),
  };
}

/**
 * Key rotation (§2.7): try keys in order (current, then previous). Returns the first result whose
 * receiveId matches, with the index of the key that worked (reply with that key).
 * Throws 'appid_mismatch' if some key decrypted but none gave the expected receiveId; otherwise
 * rethrows the first key's error.
 */
export function decryptWithKeys(
  encryptB64: string,
  keys: readonly Buffer[],
  expectedReceiveId: string,
): { message: string; receiveId: string; keyIndex: number } {
  let firstError: unknown;
  let mismatch: string | undefined;
  for (const [keyIndex, key] of keys.entries()) {
    try {
      const result = decrypt(encryptB64, key);
      if (result.receiveId === expectedReceiveId) return { ...result, keyIndex };
      mismatch ??= result.receiveId;
    } catch (err) {
      if (firstError === undefined) firstError = err;
    }
  }
  if (mismatch !== undefined) {
    throw new WechatCryptoError('appid_mismatch', `receiveId "${mismatch}" does not match the expected id`);
  }
  throw firstError ?? new WechatCryptoError('bad_key', 'no decryption key configured');
}

function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** §2.6 encrypted passive-reply envelope. `timestamp` is Unix seconds. */
export function buildEncryptedReply(
  replyXml: string,
  key: Buffer,
  receiveId: string,
  token: string,
  timestamp: string,
  nonce: string,
  random?: Buffer,
): string {
  if (!/^\d+$/.test(timestamp)) throw new RangeError('timestamp must be Unix seconds (digits only)');
  const msgEncrypt = encrypt(replyXml, key, receiveId, random);
  const signature = sha1Signature(token, timestamp, nonce, msgEncrypt);
  return (
    `<xml><Encrypt>${cdata(msgEncrypt)}</Encrypt>` +
    `<MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp>` +
    `<Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}
