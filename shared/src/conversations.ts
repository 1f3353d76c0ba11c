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
  teamId: string | null;
  labelIds: string[];
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
  /** A team id, or `none` for conversations routed to no team. */
  teamId?: string;
  labelId?: string;
  /** One customer's conversations (the customer panel's history). */
  contactId?: string;
  /** Text search: customer remark/openid or any message text (case-insensitive substring). */
  q?: string;
  sort?: 'last_activity' | 'waiting';
  cursor?: string;
  limit?: number;
}

/**
 * `POST /api/conversations/:id/messages`. An image is first uploaded with
 * `POST /api/conversations/:id/uploads` (multipart, field `file`); a canned response is sent as its text.
 */
export type SendMessageRequest =
  | { type: 'text'; text: string; clientMessageId: string }
  | { type: 'image'; uploadId: string; clientMessageId: string }
  | { type: 'canned'; cannedResponseId: string; clientMessageId: string };

/** A file uploaded to reply with; served to the account's members at `url`. */
export interface Upload {
  id: string;
  accountId: string;
  kind: 'image';
  fileName: string;
  contentType: string;
  size: number;
  url: string;
  createdAt: string;
}

/**
 * `GET /api/conversations/counts`: sidebar figures over the caller's accounts. Resolved
 * conversations are not counted; `unread` counts conversations with customer messages the caller
 * has not read.
 */
export interface ConversationCounts {
  accounts: Array<{ accountId: string; open: number; pending: number; snoozed: number; unread: number }>;
  /** Open conversations assigned to the caller / to nobody / to anyone. */
  mine: number;
  unassigned: number;
  all: number;
  teams: Array<{ teamId: string; open: number }>;
  labels: Array<{ labelId: string; open: number }>;
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
