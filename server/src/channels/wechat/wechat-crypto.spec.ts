import { createCipheriv } from 'node:crypto';
import {
  WechatCryptoError,
  buildEncryptedReply,
  decodeAesKey,
  decrypt,
  decryptWithKeys,
  encrypt,
  sha1Signature,
  verifySignature,
} from './wechat-crypto';

/** Published vectors, docs §1 and §2.8. */
const A = {
  token: 'pamtest',
  key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  random: Buffer.from('aaaabbbbccccdddd', 'ascii'),
  plain1: '我是中文abcd123',
  cipher1: 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==',
  plain2:
    '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>',
  // WxJava WxCryptUtilTest afterAesEncrypt2
  cipher2:
    'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb',
};

const B = {
  token: 'QDG6eK',
  key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
};

const C = {
  token: 'spamtest',
  key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  plain:
    '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>',
};

/** Same key/appid as C; official C++ sample. */
const Cpp = {
  timestamp: '1410349438',
  nonce: '298025754',
  msgSignature: '003fee52ecc56afb46c00b5c7721be87860ce785',
  encrypt:
    'mfBCs65c67CeJw22u4VT2TD73q5H06+ocrAIxswCaeZ/d/Lw0msSZFHY0teqgSYiI1zR2gD2DKrB3TIrmX/liNSDrGqS8jSI/WPeKB5VPr7Ezr7gomZAyGCwJSgT1TRFWPfONGJMxuj2nk4faTuspAuVIFQ6SHwZuJBZC7mcJp7Cgr9cUhATQWDbOPaE7ukZBTV2YqyzH+UI2AK+J1S47cE79k1RX8t0hcTz/O0hlK8DGXKnvYv88qKQcI7z4iaajqHfRVZKBNyOODabs+It+ZfM3dWTeFcPgDbGtIEnpt/EDtuuA/zMvtkaKdHdswPnVZQ+xdwbYr3ldGvfT8HlEYEgkgKaThxTFobVlwzu2ZkXCjicbP3xdr15Iq48ObgzPpqYuZ3IEoyggZDKClquk0u0orMck4GTF/XyE8yGzc4=',
};

/** EasyWeChat tests/Kernel/EncryptorTest.php (full ciphertext taken from that file). */
const D = {
  token: 'pamtest',
  key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  appId: 'wxb11529c136998cb6',
  timestamp: '1458300676',
  nonce: '260774613',
  msgSignature: '4f3ad57b6989f09f4eb392acce4f9e93942ed890',
  encrypt:
    'rTNFcsut4LfGuAFKEUVVpwcaCOTJzOd9twZdIW910jb3k+iicx2uvhttIZ3Qg9Qgty3BEF2xbOrz6boTfb30dMomcgrkTqdFPwnhqbk+kIQ7rZiwny9D7NUrTgA5kpX3KsZvrXzUZyP2x9YOlxbgm572lmxKvM7HAQQhIQ/p6HBmoY30bGXFK0BtIu1pW9TjhOYrLQoU18nWYjWqDA1ynkmOytpv7QRI1P1+0NoxL0q2zO1DgeSvnE8CZGo/o5Ap/WHK5W2RAsinpzN4/LjPnmB6U01I5XCoJoC0GK/yMZycd2Oh8Nq6+wBkC1U85oy0ktOY4nLvsQMLrourmMGdZHuTbqpeJ8Ao/5PRYJ+WBvRUwPfGKBL2+2IKZF49vAJqkcGWSHGE76ZN2erXeuNazf/o9o3lIE3q739o4c8t9QGPe31GT2Go/rOz1BsrASwvauNulCh+++yz+CQzBIuikA==',
  plain:
    '<xml><URL><![CDATA[http://wechat.laravel.so/server]]></URL><ToUserName><![CDATA[asdasdasd]]></ToUserName><FromUserName><![CDATA[asdasdasdsadasd]]></FromUserName><CreateTime>1234567898</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content><MsgId>12345</MsgId></xml>',
};

const E = {
  token: 'AAAAA',
  key: 'A'.repeat(43),
  componentAppId: 'wx134c8103faa5a59e',
  timestamp: '1715943329',
  nonce: '1590219412',
  signature: 'cc0c594499c1634947d5b502f158ee518947db27',
  msgSignature: '6c12a4205838198b8fa631b3220723bb07f1015c',
  encrypt:
    'D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg==',
  plain:
    '<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>',
  replyRandom: Buffer.from('999951349e8ee746', 'ascii'),
  replyPlain: '<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>',
  replyEncrypt:
    'hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7',
  replyTimestamp: '1713424427',
  replyNonce: '415670741',
  replyMsgSignature: '03e0812039325c2712ef5f0f980fd14c70d6e307',
};

/** wechatpy tests/test_crypto.py test_encrypt_message (WeCom, multi-line plaintext). */
const H = {
  token: '123456',
  key: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
  corpId: 'wx49f0ab532d5d035a',
  random: Buffer.from('1234567890123456', 'ascii'),
  timestamp: '1411525903',
  nonce: '461056294',
  plain:
    '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>',
  encrypt:
    '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3',
  msgSignature: '407518b7649e86ef23978113f92d27afa9296533',
};

/** Run `fn` and return the WechatCryptoError it throws (fails the test otherwise). */
function cryptoError(fn: () => unknown): WechatCryptoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WechatCryptoError);
    return err as WechatCryptoError;
  }
  throw new Error('expected a WechatCryptoError, nothing was thrown');
}

/** AES-256-CBC over an already block-aligned buffer, no padding added — to craft malformed ciphertexts. */
function rawEncrypt(plain: Buffer, key: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** random(16) || len || msg || id, unpadded. */
function frame(message: string, receiveId: string, declaredLength?: number): Buffer {
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(declaredLength ?? msg.length, 0);
  return Buffer.concat([Buffer.alloc(16, 0x61), len, msg, Buffer.from(receiveId, 'utf8')]);
}

describe('sha1Signature / verifySignature', () => {
  it('§1 URL verification example (Token AAAAA)', () => {
    expect(sha1Signature('AAAAA', '1714036504', '1514711492')).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
    expect(verifySignature('f464b24fc39322e44b38aa78f5edd27bd1441696', 'AAAAA', '1714036504', '1514711492')).toBe(true);
  });

  it('is independent of argument order (sorted before joining)', () => {
    expect(sha1Signature('1514711492', 'AAAAA', '1714036504')).toBe('f464b24fc39322e44b38aa78f5edd27bd1441696');
  });

  it('vector F: plaintext-mode POST signature', () => {
    expect(sha1Signature('AAAAA', '1714037059', '486452656')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
  });

  it('vector G: node-webot signature over (token, "timestamp", "nonce", "encrypt")', () => {
    expect(sha1Signature('RMNlACHlV5ThzfRlVS4D4', 'timestamp', 'nonce', 'encrypt')).toBe(
      '8edac0945683c119ee71c9f6256d76c48aa08a96',
    );
  });

  it('rejects wrong, missing, empty, uppercase and wrong-length signatures', () => {
    const parts = ['AAAAA', '1714036504', '1514711492'];
    expect(verifySignature('f464b24fc39322e44b38aa78f5edd27bd1441697', ...parts)).toBe(false);
    expect(verifySignature(undefined, ...parts)).toBe(false);
    expect(verifySignature('', ...parts)).toBe(false);
    expect(verifySignature('F464B24FC39322E44B38AA78F5EDD27BD1441696', ...parts)).toBe(false);
    expect(verifySignature('f464b24fc39322e44b38aa78f5edd27bd144169', ...parts)).toBe(false);
    expect(verifySignature('f464b24fc39322e44b38aa78f5edd27bd14416960', ...parts)).toBe(false);
    // a different nonce must not verify
    expect(verifySignature('f464b24fc39322e44b38aa78f5edd27bd1441696', 'AAAAA', '1714036504', '1514711493')).toBe(
      false,
    );
  });
});

describe('decodeAesKey', () => {
  it('decodes a 43-char key to 32 bytes', () => {
    const key = decodeAesKey(A.key);
    expect(key).toHaveLength(32);
    expect(key.equals(Buffer.from(`${A.key}=`, 'base64'))).toBe(true);
  });

  it('accepts the all-zero boundary key "A"×43', () => {
    expect(decodeAesKey(E.key).equals(Buffer.alloc(32))).toBe(true);
  });

  it.each([
    ['42 chars', A.key.slice(0, 42)],
    ['44 chars', `${A.key}H`],
    ['empty', ''],
    ['non-alphanumeric "+"', `${A.key.slice(0, 42)}+`],
    ['non-alphanumeric "/"', `/${A.key.slice(1)}`],
    ['non-alphanumeric "="', `${A.key.slice(0, 42)}=`],
    ['contains a space', `${A.key.slice(0, 20)} ${A.key.slice(21)}`],
  ])('rejects %s with reason bad_key', (_label, value) => {
    expect(cryptoError(() => decodeAesKey(value)).reason).toBe('bad_key');
  });
});

describe('vector A (official Java sample / WxJava)', () => {
  const key = decodeAesKey(A.key);

  it('A1: encrypt with fixed random gives the exact published ciphertext (UTF-8 byte length)', () => {
    expect(encrypt(A.plain1, key, A.appId, A.random)).toBe(A.cipher1);
  });

  it('A1: decrypts back', () => {
    expect(decrypt(A.cipher1, key)).toEqual({ message: A.plain1, receiveId: A.appId });
  });

  it('A2: encrypt/decrypt the video reply and msg_signature', () => {
    expect(encrypt(A.plain2, key, A.appId, A.random)).toBe(A.cipher2);
    expect(decrypt(A.cipher2, key)).toEqual({ message: A.plain2, receiveId: A.appId });
    expect(sha1Signature(A.token, '1409304348', 'xxxxxx', A.cipher2)).toBe('ea88b765074e41eb8c7a75b449db34fa2fd560d5');
  });

  it('encrypt without injected random is randomised but decrypts', () => {
    const one = encrypt(A.plain1, key, A.appId);
    const two = encrypt(A.plain1, key, A.appId);
    expect(one).not.toBe(two);
    expect(decrypt(one, key).message).toBe(A.plain1);
  });

  it('rejects a random of the wrong size', () => {
    expect(() => encrypt(A.plain1, key, A.appId, Buffer.alloc(15))).toThrow(RangeError);
  });

  it('pads an already aligned body with a full 32-byte block of 0x20', () => {
    // 16 + 4 + 10 + 2 bytes = 32 → ciphertext must be 64 bytes
    const c = encrypt('x'.repeat(10), key, 'ab', A.random);
    expect(Buffer.from(c, 'base64')).toHaveLength(64);
    expect(decrypt(c, key)).toEqual({ message: 'x'.repeat(10), receiveId: 'ab' });
  });
});

describe('vector B (WeCom URL verify / short message)', () => {
  it('msg_signature and decryption with pad byte 7', () => {
    expect(verifySignature(B.msgSignature, B.token, B.timestamp, B.nonce, B.echostr)).toBe(true);
    expect(decrypt(B.echostr, decodeAesKey(B.key))).toEqual({
      message: '1616140317555161061',
      receiveId: B.receiveId,
    });
  });
});

describe('vector C (compatible-mode push, official Python sample)', () => {
  const key = decodeAesKey(C.key);

  it('msg_signature', () => {
    expect(sha1Signature(C.token, C.timestamp, C.nonce, C.encrypt)).toBe(C.msgSignature);
  });

  it('decrypts byte-exact including the "\\n" separators', () => {
    const { message, receiveId } = decrypt(C.encrypt, key);
    expect(message).toBe(C.plain);
    expect(message.split('\n')).toHaveLength(7);
    expect(receiveId).toBe(C.appId);
  });

  it('C++ sample variant: msg_signature and decryption', () => {
    expect(sha1Signature(C.token, Cpp.timestamp, Cpp.nonce, Cpp.encrypt)).toBe(Cpp.msgSignature);
    const { message, receiveId } = decryptWithKeys(Cpp.encrypt, [key], C.appId);
    expect(receiveId).toBe(C.appId);
    expect(message).toContain('<MsgId>6057404712141979648</MsgId>');
    expect(message).toContain('<CreateTime>1410349438</CreateTime>');
  });
});

describe('vector D (EasyWeChat)', () => {
  it('msg_signature and decryption (URL element first, Content hello, MsgId 12345)', () => {
    expect(verifySignature(D.msgSignature, D.token, D.timestamp, D.nonce, D.encrypt)).toBe(true);
    expect(D.encrypt.startsWith('rTNFcsut4LfGuAFKEUVVpwca')).toBe(true);
    expect(decrypt(D.encrypt, decodeAesKey(D.key))).toEqual({ message: D.plain, receiveId: D.appId });
  });
});

describe('vector E (third-party platform, safe mode, all-zero key)', () => {
  const key = decodeAesKey(E.key);

  it('signature and msg_signature', () => {
    expect(sha1Signature(E.token, E.timestamp, E.nonce)).toBe(E.signature);
    expect(verifySignature(E.msgSignature, E.token, E.timestamp, E.nonce, E.encrypt)).toBe(true);
  });

  it('decrypts to the 292-byte event with the component AppID as receiveId', () => {
    const { message, receiveId } = decryptWithKeys(E.encrypt, [key], E.componentAppId);
    expect(message).toBe(E.plain);
    expect(Buffer.byteLength(message, 'utf8')).toBe(292);
    expect(receiveId).toBe(E.componentAppId);
  });

  it('reply: fixed random reproduces the published Encrypt and MsgSignature', () => {
    expect(encrypt(E.replyPlain, key, E.componentAppId, E.replyRandom)).toBe(E.replyEncrypt);
    expect(sha1Signature(E.token, E.replyTimestamp, E.replyNonce, E.replyEncrypt)).toBe(E.replyMsgSignature);
  });

  it('buildEncryptedReply produces the §2.6 envelope', () => {
    const xml = buildEncryptedReply(
      E.replyPlain,
      key,
      E.componentAppId,
      E.token,
      E.replyTimestamp,
      E.replyNonce,
      E.replyRandom,
    );
    expect(xml).toBe(
      `<xml><Encrypt><![CDATA[${E.replyEncrypt}]]></Encrypt>` +
        `<MsgSignature><![CDATA[${E.replyMsgSignature}]]></MsgSignature>` +
        `<TimeStamp>${E.replyTimestamp}</TimeStamp>` +
        `<Nonce><![CDATA[${E.replyNonce}]]></Nonce></xml>`,
    );
  });

  it('buildEncryptedReply refuses a non-numeric timestamp (it is written bare into the XML)', () => {
    expect(() =>
      buildEncryptedReply(E.replyPlain, key, E.componentAppId, E.token, '1<x/>', E.replyNonce, E.replyRandom),
    ).toThrow(RangeError);
  });
});

describe('vector H (wechatpy, WeCom, multi-line plaintext)', () => {
  const key = decodeAesKey(H.key);

  it('encrypt with fixed random and MsgSignature', () => {
    expect(encrypt(H.plain, key, H.corpId, H.random)).toBe(H.encrypt);
    expect(sha1Signature(H.token, H.timestamp, H.nonce, H.encrypt)).toBe(H.msgSignature);
  });

  it('full reply envelope signature', () => {
    const xml = buildEncryptedReply(H.plain, key, H.corpId, H.token, H.timestamp, H.nonce, H.random);
    expect(xml).toContain(`<MsgSignature><![CDATA[${H.msgSignature}]]></MsgSignature>`);
    expect(xml).toContain(`<Encrypt><![CDATA[${H.encrypt}]]></Encrypt>`);
  });
});

describe('decrypt: negative cases', () => {
  const key = decodeAesKey(A.key);

  it('wrong msg_signature is detected before decrypting', () => {
    expect(verifySignature(C.msgSignature, C.token, C.timestamp, C.nonce, `${C.encrypt.slice(0, -2)}A=`)).toBe(false);
    expect(verifySignature('5d197aaffba7e9b25a30732f161a50dee96bd5fb', C.token, C.timestamp, C.nonce, C.encrypt)).toBe(
      false,
    );
    expect(verifySignature(C.msgSignature, 'wrongtoken', C.timestamp, C.nonce, C.encrypt)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['16 bytes', Buffer.alloc(16).toString('base64')],
    ['48 bytes', Buffer.alloc(48).toString('base64')],
    ['vector A1 minus one byte', Buffer.from(A.cipher1, 'base64').subarray(1).toString('base64')],
  ])('ciphertext length not a non-zero multiple of 32 (%s) → bad_length', (_label, value) => {
    expect(cryptoError(() => decrypt(value, key)).reason).toBe('bad_length');
  });

  it('pad byte 0 → bad_padding', () => {
    const body = frame('hello', A.appId);
    const plain = Buffer.concat([body, Buffer.alloc(64 - body.length, 0)]);
    expect(cryptoError(() => decrypt(rawEncrypt(plain, key), key)).reason).toBe('bad_padding');
  });

  it('pad byte 33 → bad_padding (even when the last 33 bytes are all 33)', () => {
    const body = frame('', 'ab'); // 22 bytes, followed by 42 bytes of 0x21
    const plain = Buffer.concat([body, Buffer.alloc(64 - body.length, 33)]);
    expect(cryptoError(() => decrypt(rawEncrypt(plain, key), key)).reason).toBe('bad_padding');
  });

  it('inconsistent padding bytes → bad_padding', () => {
    const body = frame('hello', A.appId); // 16+4+5+18 = 43 → n = 21
    const padding = Buffer.alloc(64 - body.length, 21);
    padding[0] = 20;
    expect(cryptoError(() => decrypt(rawEncrypt(Buffer.concat([body, padding]), key), key)).reason).toBe('bad_padding');
    // sanity: the same frame with consistent padding decrypts
    const good = Buffer.concat([body, Buffer.alloc(64 - body.length, 21)]);
    expect(decrypt(rawEncrypt(good, key), key)).toEqual({ message: 'hello', receiveId: A.appId });
  });

  it('declared message length beyond the content → bad_length', () => {
    const body = frame('hello', A.appId, 1000);
    const n = 64 - body.length;
    expect(cryptoError(() => decrypt(rawEncrypt(Buffer.concat([body, Buffer.alloc(n, n)]), key), key)).reason).toBe(
      'bad_length',
    );
  });

  it('fewer than 20 bytes after unpadding → bad_length', () => {
    const plain = Buffer.concat([Buffer.alloc(10, 0x61), Buffer.alloc(22, 22)]);
    expect(cryptoError(() => decrypt(rawEncrypt(plain, key), key)).reason).toBe('bad_length');
  });

  it('decrypting with the wrong key fails closed (padding check)', () => {
    expect(cryptoError(() => decrypt(A.cipher2, decodeAesKey(B.key))).reason).toBe('bad_padding');
  });
});

describe('decryptWithKeys (receiveId check and key rotation)', () => {
  const current = decodeAesKey(B.key);
  const previous = decodeAesKey(A.key);

  it('uses the current key first', () => {
    expect(decryptWithKeys(A.cipher1, [previous, current], A.appId)).toEqual({
      message: A.plain1,
      receiveId: A.appId,
      keyIndex: 0,
    });
  });

  it('falls back to the previous key when the current one fails', () => {
    expect(decryptWithKeys(A.cipher1, [current, previous], A.appId)).toEqual({
      message: A.plain1,
      receiveId: A.appId,
      keyIndex: 1,
    });
  });

  it('receiveId mismatch → appid_mismatch', () => {
    expect(cryptoError(() => decryptWithKeys(A.cipher1, [previous], 'wx0000000000000000')).reason).toBe(
      'appid_mismatch',
    );
    // vector D with a different AppID (EasyWeChat testDecryptWithErrorAppId)
    expect(cryptoError(() => decryptWithKeys(D.encrypt, [previous], 'invalid appid')).reason).toBe('appid_mismatch');
  });

  it('appid_mismatch wins over a later key failing', () => {
    expect(cryptoError(() => decryptWithKeys(A.cipher1, [previous, current], 'wx0000000000000000')).reason).toBe(
      'appid_mismatch',
    );
  });

  it('appid_mismatch from a later key wins over an earlier key failing', () => {
    expect(cryptoError(() => decryptWithKeys(A.cipher1, [current, previous], 'wx0000000000000000')).reason).toBe(
      'appid_mismatch',
    );
  });

  it('no key decrypts → rethrows the error of the first key, not of a later one', () => {
    // Valid padding but an impossible length under `previous`; garbage (bad padding) under `current`.
    const body = frame('hello', A.appId, 1000);
    const n = 64 - body.length;
    const cipher = rawEncrypt(Buffer.concat([body, Buffer.alloc(n, n)]), previous);
    expect(cryptoError(() => decrypt(cipher, current)).reason).toBe('bad_padding');
    expect(cryptoError(() => decryptWithKeys(cipher, [previous, current], A.appId)).reason).toBe('bad_length');
    expect(cryptoError(() => decryptWithKeys(cipher, [current, previous], A.appId)).reason).toBe('bad_padding');
    expect(cryptoError(() => decryptWithKeys('AAAA', [current, previous], A.appId)).reason).toBe('bad_length');
  });

  it('no keys at all fails', () => {
    expect(cryptoError(() => decryptWithKeys(A.cipher1, [], A.appId)).reason).toBe('bad_key');
  });
});
