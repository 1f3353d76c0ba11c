export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** http(s) URLs in running text; stops at whitespace, quotes, angle brackets and CJK punctuation. */
const URL_PATTERN = /https?:\/\/[^\s<>"'\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]+/gi;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * The URL if it is a well-formed http(s) URL, else null: never `javascript:` or `data:`. With a
 * `base`, a relative URL (e.g. `/api/media/1`) is resolved against it.
 */
export function safeHttpUrl(value: unknown, base?: string): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    const url = base === undefined ? new URL(value) : new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits text into plain runs and links (rendered as elements, never as HTML). */
export function linkify(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let raw = match[0];
    const trailing = TRAILING.exec(raw)?.[0] ?? '';
    raw = raw.slice(0, raw.length - trailing.length);
    const href = safeHttpUrl(raw);
    const start = match.index;
    if (!href || start === undefined) continue;
    if (start > last) out.push({ kind: 'text', text: text.slice(last, start) });
    out.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
