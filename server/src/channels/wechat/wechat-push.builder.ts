import { randomBytes } from 'node:crypto';
import { decodeAesKey, encrypt, sha1Signature } from './wechat-crypto';
import { buildXml } from './wechat-xml';

export type PushMode = 'plaintext' | 'compatible' | 'safe';

export interface PushTarget {
  token: string;
  appId: string;
  originalId: string;
  mode: PushMode;
  encodingAesKey?: string;
}

export interface BuiltPush {
  /** Query string as WeChat appends it to the callback URL. */
  query: Record<string, string>;
  body: string;
}

/**
 * Signs (and in compatible/safe mode encrypts) a push exactly as WeChat's servers do, so the
 * sandbox and the tests speak the real protocol to the callback URL.
 */
export function buildPush(
  target: PushTarget,
  fields: Record<string, string | number>,
  opts: { timestamp?: number; nonce?: string; random?: Buffer } = {},
): BuiltPush {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const openid = String(fields.FromUserName ?? '');
  const plainXml = buildXml({ ToUserName: target.originalId, ...fields });
  const query: Record<string, string> = {
    signature: sha1Signature(target.token, timestamp, nonce),
    timestamp,
    nonce,
    openid,
  };
  if (target.mode === 'plaintext') return { query, body: plainXml };
  if (!target.encodingAesKey) throw new Error(`${target.mode} mode needs an EncodingAESKey`);
  const enc = encrypt(plainXml, decodeAesKey(target.encodingAesKey), target.appId, opts.random);
  query.encrypt_type = 'aes';
  query.msg_signature = sha1Signature(target.token, timestamp, nonce, enc);
  const body =
    target.mode === 'safe'
      ? buildXml({ ToUserName: target.originalId, Encrypt: enc })
      : plainXml.replace(/<\/xml>$/, `<Encrypt><![CDATA[${enc}]]></Encrypt></xml>`);
  return { query, body };
}

export function pushUrl(base: string, accountId: string, query: Record<string, string>): string {
  return `${base}/webhooks/wechat/${accountId}?${new URLSearchParams(query).toString()}`;
}
