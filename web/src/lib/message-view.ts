import type { Message } from '@inbox/shared';
import { safeHttpUrl } from './linkify';

/** A string field of WeChat's payload (every XML value arrives as a string). */
export function payloadString(m: Message, key: string): string | undefined {
  const value = m.payload[key];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/**
 * The playable/viewable URL of a media message: the copy stored by the server when there is one
 * (`payload.mediaUrl`, absolute or relative to the console), else WeChat's own `PicUrl`.
 */
export function mediaUrl(m: Message): string | null {
  const base = globalThis.location?.href;
  const stored = safeHttpUrl(m.payload.mediaUrl, base);
  if (stored) return stored;
  const media = m.payload.media;
  if (typeof media === 'object' && media !== null && 'url' in media) {
    const url = safeHttpUrl(media.url, base);
    if (url) return url;
  }
  return safeHttpUrl(m.payload.PicUrl);
}

/** Latitude/longitude of a location message or a LOCATION event, when both are numbers. */
export function coordinates(m: Message): { lat: string; lng: string } | null {
  const lat = payloadString(m, 'Location_X') ?? payloadString(m, 'Latitude');
  const lng = payloadString(m, 'Location_Y') ?? payloadString(m, 'Longitude');
  if (!lat || !lng || !Number.isFinite(Number(lat)) || !Number.isFinite(Number(lng))) return null;
  return { lat, lng };
}

export function mapUrl(c: { lat: string; lng: string }): string {
  return `https://www.openstreetmap.org/?mlat=${encodeURIComponent(c.lat)}&mlon=${encodeURIComponent(c.lng)}#map=16/${encodeURIComponent(c.lat)}/${encodeURIComponent(c.lng)}`;
}

export const MEDIA_TYPES = ['image', 'voice', 'video', 'shortvideo', 'location', 'link', 'event', 'note'] as const;
export type PreviewType = (typeof MEDIA_TYPES)[number] | 'unknown';

/** Which preview label a non-text message gets in the conversation list. */
export function previewType(type: string): PreviewType {
  return (MEDIA_TYPES as readonly string[]).includes(type) ? (type as PreviewType) : 'unknown';
}
