/**
 * WeChat push/reply XML (docs §2.7 hardening, §3, §4.4). Pure functions over fast-xml-parser v5.
 *
 * Parsing is done in `preserveOrder` mode so we decide ourselves, node by node, what is content:
 * - CDATA sections are kept byte-exact (no trimming, no entity decoding) and adjacent sections
 *   are concatenated, so `]]>` split as `]]]]><![CDATA[>` rejoins to `]]>`;
 * - text nodes keep their whitespace and get the five predefined XML entities and numeric
 *   character references decoded (processEntities is off in the parser so no DOCTYPE-declared
 *   entity can ever be expanded);
 * - whitespace-only text between child elements (e.g. the "\n" in decrypted compat-mode
 *   payloads) is formatting and dropped.
 * Every leaf value stays a string: MsgId exceeds 2^53 and `00123` must not lose its zeros.
 * Note: as XML 1.0 requires, the parser normalises CRLF / CR line ends to LF everywhere, CDATA included.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type WechatXmlErrorReason = 'doctype_forbidden' | 'malformed';

export class WechatXmlError extends Error {
  constructor(
    public readonly reason: WechatXmlErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

/** Parsed value: leaf elements are strings, elements with children are objects, repeated siblings arrays. */
export type WechatXmlValue = string | WechatXmlObject | WechatXmlValue[];
export interface WechatXmlObject {
  [name: string]: WechatXmlValue;
}

/** Key under which non-whitespace text mixed with child elements is kept (never seen from WeChat). */
export const MIXED_TEXT_KEY = '#text';

const TEXT = '#text';
const CDATA = '#cdata';

/** XXE hardening (§2.7): refuse any DTD before parsing. */
export function assertNoDoctype(raw: string): void {
  if (/<!(?:DOCTYPE|ENTITY)/i.test(raw)) {
    throw new WechatXmlError('doctype_forbidden', 'XML body must not contain <!DOCTYPE or <!ENTITY');
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  cdataPropName: CDATA,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
});

/** preserveOrder node: exactly one tag-name / '#text' / '#cdata' key (plus ':@' for attributes, ignored). */
type OrderedNode = Record<string, unknown>;

/** Parse a WeChat XML body; returns the content of the `<xml>` root element. */
export function parseWechatXml(raw: string): WechatXmlObject {
  assertNoDoctype(raw);
  const validation = XMLValidator.validate(raw);
  if (validation !== true) {
    throw new WechatXmlError('malformed', `malformed XML: ${validation.err.msg} (line ${validation.err.line})`);
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(raw);
  } catch (err) {
    // e.g. fast-xml-parser refuses element names such as __proto__ / constructor
    throw new WechatXmlError('malformed', `unparsable XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const top = asNodeList(parsed);
  const root = top.map(nodeEntry).find((entry) => entry !== undefined && entry.name === 'xml');
  if (root === undefined) throw new WechatXmlError('malformed', 'XML root element <xml> not found');
  return toObject(root.children);
}

interface NodeEntry {
  name: string;
  children: OrderedNode[];
}

function asNodeList(value: unknown): OrderedNode[] {
  if (!Array.isArray(value)) return [];
  return value.filter((n): n is OrderedNode => typeof n === 'object' && n !== null);
}

/** Element node → name + children; undefined for text/CDATA/attribute-only nodes. */
function nodeEntry(node: OrderedNode): NodeEntry | undefined {
  for (const [key, value] of Object.entries(node)) {
    if (key === TEXT || key === CDATA || key === ':@' || key.startsWith('?')) continue;
    return { name: key, children: asNodeList(value) };
  }
  return undefined;
}

function textOf(node: OrderedNode): string | undefined {
  const value = node[TEXT];
  return value === undefined ? undefined : String(value);
}

/** CDATA node content: the parser nests it as [{ '#text': '...' }]. */
function cdataOf(node: OrderedNode): string | undefined {
  if (!(CDATA in node)) return undefined;
  return asNodeList(node[CDATA])
    .map((n) => textOf(n) ?? '')
    .join('');
}

function toValue(children: OrderedNode[]): WechatXmlValue {
  const hasElements = children.some((n) => nodeEntry(n) !== undefined);
  if (hasElements) return toObject(children);
  // Leaf: concatenate text and CDATA in document order (XML character-data semantics).
  let out = '';
  for (const n of children) {
    const cdata = cdataOf(n);
    if (cdata !== undefined) out += cdata;
    else out += decodeXmlText(textOf(n) ?? '');
  }
  return out;
}

function toObject(children: OrderedNode[]): WechatXmlObject {
  const obj: WechatXmlObject = {};
  let mixedText = '';
  for (const n of children) {
    const entry = nodeEntry(n);
    if (entry === undefined) {
      mixedText += cdataOf(n) ?? decodeXmlText(textOf(n) ?? '');
      continue;
    }
    const value = toValue(entry.children);
    const existing = Object.prototype.hasOwnProperty.call(obj, entry.name) ? obj[entry.name] : undefined;
    // toValue never yields an array, so an array here means "already repeated".
    if (existing === undefined) setOwn(obj, entry.name, value);
    else if (Array.isArray(existing)) existing.push(value);
    else setOwn(obj, entry.name, [existing, value]);
  }
  if (mixedText.trim() !== '') setOwn(obj, MIXED_TEXT_KEY, mixedText);
  return obj;
}

/** Own data property, so no element name can ever reach a prototype setter (defence in depth: the parser already refuses `__proto__`). */
function setOwn(obj: WechatXmlObject, key: string, value: WechatXmlValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode predefined entities and numeric character references in (non-CDATA) text; leave anything else as is. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g, (match, dec, hex, name) => {
    if (typeof name === 'string') return PREDEFINED[name] ?? match;
    const code = typeof dec === 'string' ? Number.parseInt(dec, 10) : Number.parseInt(String(hex), 16);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

/** Value accepted by {@link buildXml}: strings → CDATA, numbers → bare text, objects → nested elements, arrays → repeated elements. `undefined` members are omitted. */
export type XmlBuildValue = string | number | undefined | readonly XmlBuildValue[] | XmlBuildObject;
export interface XmlBuildObject {
  readonly [name: string]: XmlBuildValue;
}

const ELEMENT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Wrap in CDATA; a `]]>` inside is split across two sections so the content round-trips exactly. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** Build `<xml>…</xml>` (no declaration, no whitespace) for passive replies (§4.4). */
export function buildXml(obj: XmlBuildObject): string {
  return `<xml>${buildChildren(obj)}</xml>`;
}

function buildChildren(obj: XmlBuildObject): string {
  let out = '';
  for (const [name, value] of Object.entries(obj)) out += buildElement(name, value);
  return out;
}

function buildElement(name: string, value: XmlBuildValue): string {
  if (value === undefined) return '';
  if (!ELEMENT_NAME.test(name)) throw new TypeError(`invalid XML element name: ${name}`);
  if (isList(value)) return value.map((item) => buildElement(name, item)).join('');
  if (typeof value === 'string') return `<${name}>${cdata(value)}</${name}>`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`non-finite number for <${name}>`);
    return `<${name}>${String(value)}</${name}>`;
  }
  return `<${name}>${buildChildren(value)}</${name}>`;
}

function isList(value: XmlBuildValue): value is readonly XmlBuildValue[] {
  return Array.isArray(value);
}
