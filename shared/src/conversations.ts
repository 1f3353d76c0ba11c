export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'failed';
export type MessageDirection = 'in' | 'out';

export interface ContactSummary {
  id: string;
  openid: string;
  name?: string;
  remark?: string | null;
  subscribed: boolean;
}

export interface Conversation {
  id: string;
  accountId: string;
  contact: ContactSummary;
  status: ConversationStatus;
  assigneeId: string | null;
  snoozedUntil: string | null;
  lastMessageAt: string;
  lastCustomerMessageAt: string | null;
  /** When WeChat stops accepting customer-service replies (null: no window open). */
  windowClosesAt: string | null;
  /** Replies still allowed in the current window (0 when closed). */
  sendsLeft: number;
  unreadCount: number;
  lastMessage: MessagePreview | null;
  createdAt: string;
  updatedAt: string;
}

export interface MessagePreview {
  type: string;
  text: string | null;
  direction: MessageDirection;
  at: string;
}

export interface Message {
  id: string;
  conversationId: string;
  accountId: string;
  direction: MessageDirection;
  /** text, image, voice, video, shortvideo, location, link, event, unknown, note. */
  type: string;
  text?: string | null;
  payload: Record<string, unknown>;
  externalId?: string | null;
  clientMessageId?: string | null;
  status?: MessageStatus | null;
  errorCode?: string | null;
  errorReason?: string | null;
  private: boolean;
  senderId?: string | null;
  createdAt: string;
  /** When the customer sent it (WeChat's CreateTime) or when it was queued. */
  sentAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ConversationListQuery {
  accountId?: string;
  status?: ConversationStatus;
  assignee?: 'me' | 'none' | string;
  sort?: 'last_activity' | 'waiting';
  cursor?: string;
  limit?: number;
}

export interface SendMessageRequest {
  type: 'text';
  text: string;
  clientMessageId: string;
}

export interface CreateNoteRequest {
  text: string;
}

export interface UpdateConversationRequest {
  status: ConversationStatus;
  snoozedUntil?: string;
}

export interface AssignRequest {
  userId: string | null;
  note?: string;
}

export interface SyncResponse {
  conversations: Conversation[];
  messages: Message[];
  cursor: string;
}
