import { createHash } from 'node:crypto';
import type { WechatXmlObject, WechatXmlValue } from './wechat-xml';

/** Events that open a short customer-service window (3 sends within 1 minute). */
const SHORT_WINDOW_EVENTS = new Set(['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg']);
const MESSAGE_TYPES = new Set(['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link']);
const KNOWN_EVENTS = new Set([
  'subscribe',
  'unsubscribe',
  'SCAN',
  'CLICK',
  'VIEW',
  'LOCATION',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
  'view_miniprogram',
]);

/** One inbound push in the channel-neutral shape the inbox stores. */
export interface InboundMessage {
  openid: string;
  /** text, image, voice, video, shortvideo, location, link, event, unknown. */
  type: string;
  text: string | null;
  payload: Record<string, unknown>;
  /** The dedupe key: MsgId for messages, FromUserName+CreateTime+Event+EventKey for events. */
  externalId: string;
  sentAt: Date;
  /** What this push does to the customer-service window. */
  window: 'long' | 'short' | 'none';
  /** true/false when the push changes whether the customer follows the account. */
  subscribed: boolean | undefined;
}

function str(v: WechatXmlValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export class WechatMessageError extends Error {}

/** Maps WeChat's XML fields (every value a string) to the unified model, keeping every field in `payload`. */
export function mapInbound(x: WechatXmlObject, raw: string): InboundMessage {
  const openid = str(x.FromUserName);
  const msgType = str(x.MsgType);
  const createTime = str(x.CreateTime);
  if (!openid || !msgType || !createTime || !/^\d{1,12}$/.test(createTime)) {
    throw new WechatMessageError('the push lacks FromUserName, MsgType or a numeric CreateTime');
  }
  const sentAt = new Date(Number(createTime) * 1000);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) {
    if (k !== 'ToUserName' && k !== 'FromUserName' && k !== 'CreateTime') fields[k] = v;
  }
  const msgId = str(x.MsgId) ?? str(x.MsgID);

  if (msgType === 'event') {
    const event = str(x.Event) ?? '';
    const eventKey = str(x.EventKey) ?? '';
    const payload: Record<string, unknown> = { ...fields, event, known: KNOWN_EVENTS.has(event) };
    if (event === 'subscribe' && eventKey.startsWith('qrscene_')) payload.scene = eventKey.slice('qrscene_'.length);
    if (event === 'SCAN') payload.scene = eventKey;
    return {
      openid,
      type: 'event',
      text: null,
      payload,
      externalId: `event:${openid}:${createTime}:${event}:${eventKey}`,
      sentAt,
      window: SHORT_WINDOW_EVENTS.has(event) ? 'short' : 'none',
      subscribed: event === 'subscribe' ? true : event === 'unsubscribe' ? false : undefined,
    };
  }

  const known = MESSAGE_TYPES.has(msgType);
  const text = msgType === 'text' ? (str(x.Content) ?? '') : msgType === 'link' ? (str(x.Title) ?? null) : null;
  const externalId = msgId
    ? `msg:${msgId}`
    : `raw:${openid}:${createTime}:${createHash('sha1').update(raw).digest('hex')}`;
  return {
    openid,
    type: known ? msgType : 'unknown',
    text,
    payload: known ? fields : { ...fields, originalType: msgType },
    externalId,
    sentAt,
    // Any ordinary message the customer sends opens the long window; unknown types are stored but open nothing.
    window: known ? 'long' : 'none',
    subscribed: undefined,
  };
}
