import type { Conversation, Message } from './conversations';

/** Server -> client events, typed once for both sides. */
export interface ServerToClientEvents {
  'message.created': (e: { message: Message }) => void;
  'message.updated': (e: { message: Message }) => void;
  'conversation.created': (e: { conversation: Conversation }) => void;
  'conversation.updated': (e: { conversation: Conversation }) => void;
  'session.revoked': (e: { reason: string }) => void;
}

/** Client -> server events. */
export interface ClientToServerEvents {
  ping: (ack: (e: { at: string }) => void) => void;
}

export type ServerEventName = keyof ServerToClientEvents;
export const SERVER_EVENTS: ServerEventName[] = [
  'message.created',
  'message.updated',
  'conversation.created',
  'conversation.updated',
  'session.revoked',
];
