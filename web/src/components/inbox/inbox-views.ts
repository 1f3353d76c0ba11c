/**
 * The inbox's sidebar views. Conversation statuses are listed here until the conversation types
 * land in `@inbox/shared`; then import them from there.
 */
export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const ASSIGNEE_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type AssigneeView = (typeof ASSIGNEE_VIEWS)[number];

export type InboxViewKey = AssigneeView | `status:${ConversationStatus}`;

export const INBOX_VIEW_KEYS: readonly InboxViewKey[] = [
  ...ASSIGNEE_VIEWS,
  ...CONVERSATION_STATUSES.map((status) => `status:${status}` as const),
];

export const DEFAULT_INBOX_VIEW: InboxViewKey = 'mine';

export function isInboxViewKey(value: unknown): value is InboxViewKey {
  return typeof value === 'string' && (INBOX_VIEW_KEYS as readonly string[]).includes(value);
}

/** What the list shows of a conversation; a placeholder until the shared Conversation type exists. */
export interface ConversationSummary {
  id: string;
  title: string;
  preview?: string;
  lastMessageAt?: string;
  unreadCount?: number;
}
