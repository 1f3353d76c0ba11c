import type { SandboxEventRequest, SandboxInboxItem, SandboxMessageRequest } from '@inbox/shared';

/** What the customer sends with a form: a location, a link, or a tap on a CLICK menu button. */
export type SandboxTool = 'location' | 'link' | 'menu';

/** Something the customer does on the phone: a message or an event. */
export type ToolAction =
  { kind: 'message'; body: SandboxMessageRequest } | { kind: 'event'; body: SandboxEventRequest };

/** How the sandbox phone shows one entry of the customer's inbox. */
export type PhoneLine =
  /** Something the customer did (followed, tapped a menu item…): a system line. */
  | { kind: 'event'; key: string; at: string; event: string; detail: string; delivered: boolean; attempts: number }
  /** A message the customer sent: `text` for text messages, else the type and a detail (label, title). */
  | {
      kind: 'sent';
      key: string;
      at: string;
      msgType: string;
      text: string | null;
      detail: string;
      delivered: boolean;
      attempts: number;
    }
  /** A message the customer received through the customer-service API. */
  | { kind: 'received'; key: string; at: string; msgtype: string; text: string | null }
  /** A reply WeChat refused: its text (for text replies), the errcode and a reason key when it is a known one. */
  | {
      kind: 'refused';
      key: string;
      at: string;
      msgtype: string;
      text: string | null;
      errcode: number;
      reasonKey: RefusalReason | null;
      reason: string;
    };

/** The refusals the phone explains in the console's language (`sandbox.refusals.*`). */
export type RefusalReason = 'windowClosed' | 'quotaUsed' | 'notFollowing';

const REFUSAL_REASONS: Record<number, RefusalReason> = {
  45015: 'windowClosed',
  45047: 'quotaUsed',
  43004: 'notFollowing',
};

export function refusalReason(errcode: number): RefusalReason | null {
  return REFUSAL_REASONS[errcode] ?? null;
}

/** `[location] Shanghai` → `Shanghai`: the sandbox's one-line summary without its type tag. */
function stripTag(summary: string): string {
  return summary.replace(/^\[[^\]]*\]\s*/, '');
}

/** `[event] CLICK MENU_HELP` → `MENU_HELP`. */
function eventDetail(summary: string, event: string): string {
  const rest = stripTag(summary);
  return rest.startsWith(event) ? rest.slice(event.length).trim() : rest;
}

/** One inbox item as a phone line; `index` makes keys unique for items without an id of their own. */
export function phoneLine(item: SandboxInboxItem, index: number): PhoneLine {
  switch (item.kind) {
    case 'customer': {
      const common = { key: item.pushId, at: item.at, delivered: item.delivered, attempts: item.attempts };
      if (item.msgType === 'event') {
        const event = item.event ?? '';
        return { kind: 'event', ...common, event, detail: eventDetail(item.summary, event) };
      }
      const isText = item.msgType === 'text';
      return {
        kind: 'sent',
        ...common,
        msgType: item.msgType,
        text: isText ? item.summary : null,
        detail: isText ? '' : stripTag(item.summary),
      };
    }
    case 'received':
      return { kind: 'received', key: `r${index}:${item.at}`, at: item.at, msgtype: item.msgtype, text: item.text };
    case 'refused':
      return {
        kind: 'refused',
        key: `x${index}:${item.at}`,
        at: item.at,
        msgtype: item.msgtype,
        text: item.text,
        errcode: item.refusal.errcode,
        reasonKey: refusalReason(item.refusal.errcode),
        reason: item.refusal.reason,
      };
  }
}

export function phoneLines(items: readonly SandboxInboxItem[]): PhoneLine[] {
  return items.map((item, i) => phoneLine(item, i));
}

/** Message types with their own label on the phone (`sandbox.phone.sent.*` / `received.*`). */
export const SENT_TYPES = ['image', 'voice', 'video', 'location', 'link'] as const;
export const RECEIVED_TYPES = ['image', 'voice', 'video', 'music', 'news', 'mpnews'] as const;
export const EVENT_TYPES = ['subscribe', 'unsubscribe', 'CLICK', 'VIEW', 'SCAN', 'LOCATION'] as const;

export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}
