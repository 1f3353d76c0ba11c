import type { Conversation, Message } from './conversations';

/** Server -> client events, typed once for both sides. */
export interface ServerToClientEvents {
  'message.created': (e: { message: Message }) => void;
  'message.updated': (e: { message: Message }) => void;
  'conversation.created': (e: { conversation: Conversation }) => void;
  'conversation.updated': (e: { conversation: Conversation }) => void;
  'session.revoked': (e: { reason: string }) => void;
  /** A colleague started or stopped typing in a conversation (collision hint; never sent to WeChat). */
  typing: (e: TypingEvent) => void;
  /** A colleague came online (first socket) or went offline (last socket closed). */
  presence: (e: PresenceEvent) => void;
}

export interface TypingEvent {
  conversationId: string;
  userId: string;
  name: string;
  typing: boolean;
}

export interface PresenceEvent {
  userId: string;
  online: boolean;
}

/** `GET /api/presence`: who is online now, among the colleagues the caller shares an account with. */
export interface PresenceResponse {
  online: string[];
}

/** Client -> server events. */
export interface ClientToServerEvents {
  ping: (ack: (e: { at: string }) => void) => void;
  /**
   * The caller is (or stopped) typing in a conversation; ignored unless they may see it. The optional
   * ack says whether colleagues were told (false: not visible, malformed or throttled).
   */
  typing: (e: { conversationId: string; typing: boolean }, ack?: (r: { ok: boolean }) => void) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export const SERVER_EVENTS: ServerEventName[] = [
  'message.created',
  'message.updated',
  'conversation.created',
  'conversation.updated',
  'session.revoked',
  'typing',
  'presence',
];
