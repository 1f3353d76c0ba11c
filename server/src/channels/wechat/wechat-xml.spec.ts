import { WechatXmlError, assertNoDoctype, buildXml, decodeXmlText, parseWechatXml } from './wechat-xml';

function xmlError(fn: () => unknown): WechatXmlError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WechatXmlError);
    return err as WechatXmlError;
  }
  throw new Error('expected a WechatXmlError, nothing was thrown');
}

/** Vector C decrypted plaintext (docs §2.8), byte-exact with "\n" after each element. */
const VECTOR_C_PLAIN =
  '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>';

const VECTOR_C_ENCRYPT =
  'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';

describe('parseWechatXml: vectors and official examples', () => {
  it('vector C decrypted plaintext: no "\\n" leaks, MsgId stays an exact string', () => {
    expect(parseWechatXml(VECTOR_C_PLAIN)).toStrictEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
  });

  it('vector C compatible-mode body: plain fields and Encrypt side by side', () => {
    const body = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[${VECTOR_C_ENCRYPT}]]></Encrypt></xml>`;
    const parsed = parseWechatXml(body);
    expect(parsed['Encrypt']).toBe(VECTOR_C_ENCRYPT);
    expect(parsed['MsgId']).toBe('6054768590064713728');
    expect(parsed['Content']).toBe('abcdteT');
  });

  it('vector E decrypted event (debug_str)', () => {
    const plain =
      '<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>';
    expect(parseWechatXml(plain)).toStrictEqual({
      ToUserName: 'gh_97417a04a28d',
      FromUserName: 'o9AgO5Kd5ggOC-bXrbNODIiE3bGY',
      CreateTime: '1715943329',
      MsgType: 'event',
      Event: 'debug_demo',
      debug_str: 'hello world',
    });
  });

  it('safe-mode envelope (indented, §2.1)', () => {
    const body =
      '<xml>\n  <ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n  <Encrypt><![CDATA[D7yzvUNAL930rd28]]></Encrypt>\n</xml>';
    expect(parseWechatXml(body)).toStrictEqual({ ToUserName: 'gh_97417a04a28d', Encrypt: 'D7yzvUNAL930rd28' });
  });

  it('official text message (§3.3) with XML declaration and CRLF indentation', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<xml>\r\n  <ToUserName><![CDATA[toUser]]></ToUserName>\r\n  <FromUserName><![CDATA[fromUser]]></FromUserName>\r\n  <CreateTime>1348831860</CreateTime>\r\n  <MsgType><![CDATA[text]]></MsgType>\r\n  <Content><![CDATA[this is a test]]></Content>\r\n  <MsgId>1234567890123456</MsgId>\r\n</xml>\r\n';
    expect(parseWechatXml(body)).toStrictEqual({
      ToUserName: 'toUser',
      FromUserName: 'fromUser',
      CreateTime: '1348831860',
      MsgType: 'text',
      Content: 'this is a test',
      MsgId: '1234567890123456',
    });
  });

  it('subscribe via parametric QR (§3.3)', () => {
    const body = `<xml>
  <ToUserName><![CDATA[toUser]]></ToUserName>
  <FromUserName><![CDATA[FromUser]]></FromUserName>
  <CreateTime>123456789</CreateTime>
  <MsgType><![CDATA[event]]></MsgType>
  <Event><![CDATA[subscribe]]></Event>
  <EventKey><![CDATA[qrscene_123123]]></EventKey>
  <Ticket><![CDATA[TICKET]]></Ticket>
</xml>`;
    const parsed = parseWechatXml(body);
    expect(parsed['Event']).toBe('subscribe');
    expect(parsed['EventKey']).toBe('qrscene_123123');
    expect(parsed['Ticket']).toBe('TICKET');
    expect(Object.keys(parsed)).not.toContain('#text');
  });

  it('vector H multi-line WeCom plaintext (newline right after <xml>)', () => {
    const plain =
      '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
    expect(parseWechatXml(plain)).toStrictEqual({
      MsgType: 'text',
      Content: 'test',
      FromUserName: 'wx49f0ab532d5d035a',
      ToUserName: 'messense',
      AgentID: '1',
      CreateTime: '1411525903',
    });
  });
});

describe('parseWechatXml: nested events', () => {
  it('scancode_waitmsg → ScanCodeInfo object', () => {
    const body = `<xml><ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName>
<FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName>
<CreateTime>1408090606</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[scancode_waitmsg]]></Event>
<EventKey><![CDATA[6]]></EventKey>
<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>
<ScanResult><![CDATA[2]]></ScanResult>
</ScanCodeInfo>
</xml>`;
    expect(parseWechatXml(body)['ScanCodeInfo']).toStrictEqual({ ScanType: 'qrcode', ScanResult: '2' });
  });

  it('pic_sysphoto with two pictures → PicList.item array', () => {
    const body = `<xml><ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName>
<FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName>
<CreateTime>1408090651</CreateTime>
<MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[pic_sysphoto]]></Event>
<EventKey><![CDATA[6]]></EventKey>
<SendPicsInfo><Count>2</Count>
<PicList><item><PicMd5Sum><![CDATA[1b5f7c23b5bf75682a53e7b6d163e185]]></PicMd5Sum>
</item>
<item><PicMd5Sum><![CDATA[0123456789abcdef0123456789abcdef]]></PicMd5Sum>
</item>
</PicList>
</SendPicsInfo>
</xml>`;
    expect(parseWechatXml(body)['SendPicsInfo']).toStrictEqual({
      Count: '2',
      PicList: {
        item: [{ PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }, { PicMd5Sum: '0123456789abcdef0123456789abcdef' }],
      },
    });
  });

  it('a single repeated-type child stays an object (callers normalise)', () => {
    const body =
      '<xml><SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[abc]]></PicMd5Sum></item></PicList></SendPicsInfo></xml>';
    expect(parseWechatXml(body)['SendPicsInfo']).toStrictEqual({
      Count: '1',
      PicList: { item: { PicMd5Sum: 'abc' } },
    });
  });

  it('three repeated siblings collect into one array in order', () => {
    const body = '<xml><L><i>1</i><i>2</i><i>3</i></L></xml>';
    expect(parseWechatXml(body)['L']).toStrictEqual({ i: ['1', '2', '3'] });
  });

  it('an unknown MsgType still parses', () => {
    const body =
      '<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[o_y]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[miniprogrampage]]></MsgType><Title><![CDATA[t]]></Title><AppId><![CDATA[wxabc]]></AppId><MsgId>24000000000000000001</MsgId></xml>';
    expect(parseWechatXml(body)).toStrictEqual({
      ToUserName: 'gh_x',
      FromUserName: 'o_y',
      CreateTime: '1700000000',
      MsgType: 'miniprogrampage',
      Title: 't',
      AppId: 'wxabc',
      MsgId: '24000000000000000001',
    });
  });
});

describe('parseWechatXml: values are exact strings', () => {
  it('MsgId > 2^53 and leading zeros are preserved', () => {
    const parsed = parseWechatXml(
      '<xml><MsgId>9007199254740993</MsgId><EventKey>00123</EventKey><Scale>1.50</Scale><Neg>-0</Neg><Hex>0x1F</Hex><Exp>1e5</Exp></xml>',
    );
    expect(parsed).toStrictEqual({
      MsgId: '9007199254740993',
      EventKey: '00123',
      Scale: '1.50',
      Neg: '-0',
      Hex: '0x1F',
      Exp: '1e5',
    });
  });

  it('boolean-looking and empty values stay strings', () => {
    expect(parseWechatXml('<xml><A>true</A><B></B><C/><D><![CDATA[]]></D></xml>')).toStrictEqual({
      A: 'true',
      B: '',
      C: '',
      D: '',
    });
  });

  it('CDATA keeps leading/trailing spaces, newlines and markup byte-exact', () => {
    const parsed = parseWechatXml(
      '<xml><Content><![CDATA[  hello  ]]></Content><Multi><![CDATA[\n line1\n\tline2 \n]]></Multi><Markup><![CDATA[<b>&amp;</b> & < >]]></Markup></xml>',
    );
    expect(parsed['Content']).toBe('  hello  ');
    expect(parsed['Multi']).toBe('\n line1\n\tline2 \n');
    expect(parsed['Markup']).toBe('<b>&amp;</b> & < >');
  });

  it('CRLF and CR line ends are normalised to LF (XML 1.0 §2.11), inside CDATA too', () => {
    expect(parseWechatXml('<xml><A><![CDATA[a\r\nb\rc]]></A></xml>')['A']).toBe('a\nb\nc');
  });

  it('a "]]>" split across two CDATA sections rejoins', () => {
    expect(parseWechatXml('<xml><Content><![CDATA[a]]]]><![CDATA[>b]]></Content></xml>')['Content']).toBe('a]]>b');
    expect(parseWechatXml('<xml><Content><![CDATA[ ]]]]><![CDATA[> ]]></Content></xml>')['Content']).toBe(' ]]> ');
  });

  it('plain text keeps its whitespace and decodes predefined entities and character references', () => {
    const parsed = parseWechatXml(
      '<xml><Content> a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20013;&#x6587; &amp;lt; </Content></xml>',
    );
    expect(parsed['Content']).toBe(' a & b <c> "d" \'e\' 中文 &lt; ');
  });

  it('Chinese and emoji content survive', () => {
    expect(parseWechatXml('<xml><Content><![CDATA[你好 😀]]></Content></xml>')['Content']).toBe('你好 😀');
  });

  it('non-whitespace text mixed with child elements is kept under "#text"', () => {
    expect(parseWechatXml('<xml>stray <A>1</A> text</xml>')).toStrictEqual({ A: '1', '#text': 'stray  text' });
  });

  it('attributes are ignored', () => {
    expect(parseWechatXml('<xml a="1"><Content x="y"><![CDATA[v]]></Content></xml>')).toStrictEqual({
      Content: 'v',
    });
  });

  it('element names that could pollute prototypes are refused as malformed', () => {
    expect(xmlError(() => parseWechatXml('<xml><__proto__><polluted>yes</polluted></__proto__></xml>')).reason).toBe(
      'malformed',
    );
    expect(xmlError(() => parseWechatXml('<xml><constructor>1</constructor></xml>')).reason).toBe('malformed');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseWechatXml: rejection', () => {
  it.each([
    [
      'XXE external entity',
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>',
    ],
    ['billion laughs', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><xml><C>&lol2;</C></xml>'],
    ['lower-case doctype', '<!doctype xml><xml><C>1</C></xml>'],
    ['ENTITY without DOCTYPE', '<xml><!ENTITY a "b"><C>1</C></xml>'],
    ['mixed-case Entity', '<xml><!EnTiTy a "b"></xml>'],
  ])('%s → doctype_forbidden', (_label, body) => {
    expect(xmlError(() => parseWechatXml(body)).reason).toBe('doctype_forbidden');
    expect(xmlError(() => assertNoDoctype(body)).reason).toBe('doctype_forbidden');
  });

  it('assertNoDoctype lets bodies through that merely mention the words DOCTYPE / ENTITY', () => {
    expect(() => assertNoDoctype('<xml><Content><![CDATA[DOCTYPE ENTITY]]></Content></xml>')).not.toThrow();
  });

  it.each([
    ['unclosed element', '<xml><Content>abc</xml>'],
    ['unclosed root', '<xml><Content>abc</Content>'],
    ['two roots', '<xml></xml><xml></xml>'],
    ['not XML', 'success'],
    ['JSON', '{"ToUserName":"x"}'],
    ['empty', ''],
    ['bare ampersand', '<xml><Content>a & b</Content></xml>'],
    ['trailing garbage', '<xml><A>1</A></xml>junk'],
    ['wrong root element', '<root><A>1</A></root>'],
  ])('%s → malformed', (_label, body) => {
    expect(xmlError(() => parseWechatXml(body)).reason).toBe('malformed');
  });
});

describe('decodeXmlText', () => {
  it('leaves unknown or invalid references alone and does not double-decode', () => {
    expect(decodeXmlText('&nbsp; &#0; &#x110000; &amp;amp; &#38;lt;')).toBe('&nbsp; &#0; &#x110000; &amp; &lt;');
  });
});

describe('buildXml', () => {
  it('text reply: CDATA for strings, bare numbers, document order kept', () => {
    expect(
      buildXml({
        ToUserName: 'o_user',
        FromUserName: 'gh_oa',
        CreateTime: 1713424427,
        MsgType: 'text',
        Content: '你好\n<world> & "all"',
      }),
    ).toBe(
      '<xml><ToUserName><![CDATA[o_user]]></ToUserName><FromUserName><![CDATA[gh_oa]]></FromUserName>' +
        '<CreateTime>1713424427</CreateTime><MsgType><![CDATA[text]]></MsgType>' +
        '<Content><![CDATA[你好\n<world> & "all"]]></Content></xml>',
    );
  });

  it('nested objects and arrays (image and news replies)', () => {
    expect(buildXml({ MsgType: 'image', Image: { MediaId: 'm1' } })).toBe(
      '<xml><MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[m1]]></MediaId></Image></xml>',
    );
    expect(buildXml({ ArticleCount: 2, Articles: { item: [{ Title: 'a' }, { Title: 'b' }] } })).toBe(
      '<xml><ArticleCount>2</ArticleCount><Articles><item><Title><![CDATA[a]]></Title></item>' +
        '<item><Title><![CDATA[b]]></Title></item></Articles></xml>',
    );
  });

  it('splits "]]>" inside CDATA safely', () => {
    expect(buildXml({ Content: 'x]]>y' })).toBe('<xml><Content><![CDATA[x]]]]><![CDATA[>y]]></Content></xml>');
  });

  it('round-trips through parseWechatXml byte-exact', () => {
    const content = '  lead ]]> mid ]]]]> <b>&amp;</b> 中文 😀 trail  ';
    const xml = buildXml({ ToUserName: 'o', CreateTime: 1, Content: content, Empty: '', Nested: { K: '00123' } });
    expect(parseWechatXml(xml)).toStrictEqual({
      ToUserName: 'o',
      CreateTime: '1',
      Content: content,
      Empty: '',
      Nested: { K: '00123' },
    });
  });

  it('omits undefined members', () => {
    expect(buildXml({ A: 'a', B: undefined })).toBe('<xml><A><![CDATA[a]]></A></xml>');
  });

  it('rejects invalid element names and non-finite numbers', () => {
    expect(() => buildXml({ 'bad name': 'x' })).toThrow(TypeError);
    expect(() => buildXml({ '<x>': 'x' })).toThrow(TypeError);
    expect(() => buildXml({ A: Number.NaN })).toThrow(TypeError);
    expect(() => buildXml({ A: Number.POSITIVE_INFINITY })).toThrow(TypeError);
  });
});
