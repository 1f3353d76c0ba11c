import { CONVERSATION_STATUSES, type ConversationListQuery, type ConversationStatus } from '@inbox/shared';

export { CONVERSATION_STATUSES, type ConversationStatus };

export const ASSIGNEE_VIEWS = ['mine', 'unassigned', 'all'] as const;
export type AssigneeView = (typeof ASSIGNEE_VIEWS)[number];

/** A sidebar view: by assignee, by status, or one Official Account (`account:<uuid>`). */
export type InboxViewKey = AssigneeView | `status:${ConversationStatus}` | `account:${string}`;

export const INBOX_VIEW_KEYS: readonly InboxViewKey[] = [
  ...ASSIGNEE_VIEWS,
  ...CONVERSATION_STATUSES.map((status) => `status:${status}` as const),
];

export const DEFAULT_INBOX_VIEW: InboxViewKey = 'mine';

const ACCOUNT_VIEW = /^account:[0-9a-fA-F-]{36}$/;

export function isInboxViewKey(value: unknown): value is InboxViewKey {
  return (
    typeof value === 'string' && ((INBOX_VIEW_KEYS as readonly string[]).includes(value) || ACCOUNT_VIEW.test(value))
  );
}

export function accountView(accountId: string): InboxViewKey {
  return `account:${accountId}`;
}

export type ListSort = NonNullable<ConversationListQuery['sort']>;
export const LIST_SORTS: readonly ListSort[] = ['last_activity', 'waiting'];

/** The list filters of a view: what `GET /api/conversations` is asked, and what live updates must match. */
export interface ConversationFilters {
  accountId?: string;
  status?: ConversationStatus;
  assignee?: 'me' | 'none';
  /** A team id, or `none` for conversations routed to no team. */
  teamId?: string;
  labelId?: string;
  /** The search box's text (customer remark/openid or any message text). */
  q?: string;
  sort: ListSort;
}

/** The list header's filters, on top of any view (kept in the URL as `team`, `label`; `q` is the search box). */
export interface ListRefinements {
  teamId?: string;
  labelId?: string;
  q?: string;
}

/** A view's filters narrowed by the list header's team and label filters and the search text. */
export function listFilters(view: InboxViewKey, sort: ListSort, refine: ListRefinements = {}): ConversationFilters {
  const out = viewFilters(view, sort);
  if (refine.teamId) out.teamId = refine.teamId;
  if (refine.labelId) out.labelId = refine.labelId;
  const q = refine.q?.trim();
  if (q) out.q = q;
  return out;
}

/** The value of the team filter meaning "routed to no team". */
export const NO_TEAM = 'none';

export function viewFilters(view: InboxViewKey, sort: ListSort = 'last_activity'): ConversationFilters {
  if (view === 'mine') return { assignee: 'me', sort };
  if (view === 'unassigned') return { assignee: 'none', sort };
  if (view === 'all') return { sort };
  for (const status of CONVERSATION_STATUSES) if (view === `status:${status}`) return { status, sort };
  return { accountId: view.slice('account:'.length), sort };
}

/** An Official Account as the sidebar lists it. */
export interface SidebarAccount {
  id: string;
  name: string;
  /** Conversations with customer messages the user has not read. */
  unread: number;
  /** Open conversations (the server's count; undefined until it answered). */
  open?: number;
}

/** A team or label as the sidebar lists it: a shortcut to the list's team or label filter. */
export interface SidebarFilter {
  id: string;
  name: string;
  /** Open conversations (undefined until the server answered). */
  open?: number;
  /** A label's `#rrggbb`. */
  color?: string;
}
