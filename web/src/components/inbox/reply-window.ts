import type { Conversation } from '@inbox/shared';

export type ReplyBlock = 'window_closed' | 'quota_exhausted';

export interface ReplyState {
  /** Why a reply cannot be sent now (notes are always possible), or null. */
  blocked: ReplyBlock | null;
  /** The next reply is the last one WeChat allows until the customer writes again. */
  lastSend: boolean;
  /** Time until the customer-service window closes (null when it is closed). */
  msLeft: number | null;
  sendsLeft: number;
}

/** WeChat's 48 h window and reply quota, as the composer shows them (the server enforces the same rule). */
export function replyState(c: Pick<Conversation, 'windowClosesAt' | 'sendsLeft'>, now: number): ReplyState {
  const closesAt = c.windowClosesAt ? Date.parse(c.windowClosesAt) : Number.NaN;
  const msLeft = Number.isFinite(closesAt) && closesAt > now ? closesAt - now : null;
  if (msLeft === null) return { blocked: 'window_closed', lastSend: false, msLeft: null, sendsLeft: 0 };
  if (c.sendsLeft <= 0) return { blocked: 'quota_exhausted', lastSend: false, msLeft, sendsLeft: 0 };
  return { blocked: null, lastSend: c.sendsLeft === 1, msLeft, sendsLeft: c.sendsLeft };
}
