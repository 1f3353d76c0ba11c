/** Cross-check our crypto against the independent @wecom/crypto implementation (dev-only oracle). */
import { randomBytes } from 'node:crypto';
import * as wecom from '@wecom/crypto';
import { buildEncryptedReply, decodeAesKey, decrypt, decryptWithKeys, encrypt, sha1Signature } from './wechat-crypto';
import { parseWechatXml } from './wechat-xml';

const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const key = decodeAesKey(encodingAesKey);
const appId = 'wxb11529c136998cb6';
const token = 'pamtest';

const messages = [
  '我是中文abcd123',
  '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<Content><![CDATA[你好，世界！客服在吗？😀]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>',
  '',
  'a',
  'x'.repeat(10), // 16 + 4 + 10 + 18 = 48 → 16 bytes of padding
  'x'.repeat(26), // 16 + 4 + 26 + 18 = 64 → a full 32-byte padding block
  '中'.repeat(1000),
];

describe('interop with @wecom/crypto', () => {
  it.each(messages.map((m) => [m.length, m]))('@wecom encrypts, we decrypt (%i chars)', (_len, message) => {
    const ciphertext = wecom.encrypt(encodingAesKey, message, appId);
    expect(decryptWithKeys(ciphertext, [key], appId)).toEqual({ message, receiveId: appId, keyIndex: 0 });
  });

  it.each(messages.map((m) => [m.length, m]))('we encrypt, @wecom decrypts (%i chars)', (_len, message) => {
    const ciphertext = encrypt(message, key, appId);
    const theirs = wecom.decrypt(encodingAesKey, ciphertext);
    expect(theirs.message).toBe(message);
    expect(theirs.id).toBe(appId);
  });

  it('same random → identical ciphertext both ways', () => {
    const random = randomBytes(16);
    const message = '<xml><Content><![CDATA[回复：收到]]></Content></xml>';
    expect(encrypt(message, key, appId, random)).toBe(wecom.encrypt(encodingAesKey, message, appId, random));
  });

  it('all-zero boundary key "A"×43 agrees', () => {
    const zeroKey = 'A'.repeat(43);
    const ciphertext = wecom.encrypt(zeroKey, '第三方平台', 'wx134c8103faa5a59e');
    expect(decrypt(ciphertext, decodeAesKey(zeroKey))).toEqual({
      message: '第三方平台',
      receiveId: 'wx134c8103faa5a59e',
    });
  });

  it('signatures agree (random inputs, including characters that sort differently)', () => {
    for (let i = 0; i < 50; i++) {
      const timestamp = String(1_700_000_000 + i * 7919);
      const nonce = randomBytes(6).toString('base64');
      const ciphertext = encrypt(`消息 ${i}`, key, appId);
      expect(sha1Signature(token, timestamp, nonce, ciphertext)).toBe(
        wecom.getSignature(token, timestamp, nonce, ciphertext),
      );
    }
  });

  it('our encrypted reply envelope verifies and decrypts with @wecom/crypto', () => {
    const replyXml =
      '<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[您好，请问有什么可以帮您？]]></Content></xml>';
    const envelope = parseWechatXml(buildEncryptedReply(replyXml, key, appId, token, '1713424427', '415670741'));
    const encrypted = envelope['Encrypt'];
    expect(typeof encrypted).toBe('string');
    if (typeof encrypted !== 'string') return;
    expect(envelope['MsgSignature']).toBe(wecom.getSignature(token, '1713424427', '415670741', encrypted));
    expect(envelope['TimeStamp']).toBe('1713424427');
    expect(envelope['Nonce']).toBe('415670741');
    expect(wecom.decrypt(encodingAesKey, encrypted)).toMatchObject({ message: replyXml, id: appId });
  });
});
