import type {
  AssignRequest,
  Conversation,
  ConversationCounts,
  ConversationListQuery,
  CreateNoteRequest,
  Message,
  Page,
  SendMessageRequest,
  SetConversationLabelsRequest,
  SetConversationTeamRequest,
  SyncResponse,
  UpdateConversationRequest,
  Upload,
} from '@inbox/shared';
import { request } from './http';

type QueryValue = string | number | undefined | null;

/** `?a=1&b=2` from the defined values only ('' when there are none). */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const base = (id: string) => `/api/conversations/${encodeURIComponent(id)}`;

export function listConversations(q: ConversationListQuery = {}): Promise<Page<Conversation>> {
  return request<Page<Conversation>>(
    'GET',
    `/api/conversations${queryString({
      accountId: q.accountId,
      status: q.status,
      assignee: q.assignee,
      teamId: q.teamId,
      labelId: q.labelId,
      contactId: q.contactId,
      q: q.q,
      sort: q.sort,
      cursor: q.cursor,
      limit: q.limit,
    })}`,
  );
}

/** Sidebar figures over the caller's accounts (open conversations per view, account, team and label). */
export function getConversationCounts(): Promise<ConversationCounts> {
  return request<ConversationCounts>('GET', '/api/conversations/counts');
}

export function getConversation(id: string): Promise<Conversation> {
  return request<Conversation>('GET', base(id));
}

/** One page of a thread, newest first; `cursor` is the oldest id already loaded. */
export function listMessages(id: string, q: { cursor?: string; limit?: number } = {}): Promise<Page<Message>> {
  return request<Page<Message>>('GET', `${base(id)}/messages${queryString({ cursor: q.cursor, limit: q.limit })}`);
}

/** Queues a reply through the conversation's account (201 `queued`; 409 window closed / quota used). */
export function sendMessage(id: string, body: SendMessageRequest): Promise<Message> {
  return request<Message>('POST', `${base(id)}/messages`, body);
}

export function createNote(id: string, body: CreateNoteRequest): Promise<Message> {
  return request<Message>('POST', `${base(id)}/notes`, body);
}

export function updateConversation(id: string, body: UpdateConversationRequest): Promise<Conversation> {
  return request<Conversation>('PATCH', base(id), body);
}

export function assignConversation(id: string, body: AssignRequest): Promise<Conversation> {
  return request<Conversation>('PUT', `${base(id)}/assignee`, body);
}

/** Routes the conversation to a team, or to none. */
export function setConversationTeam(id: string, teamId: string | null): Promise<Conversation> {
  const body: SetConversationTeamRequest = { teamId };
  return request<Conversation>('PUT', `${base(id)}/team`, body);
}

/** Replaces the conversation's whole label set. */
export function setConversationLabels(id: string, labelIds: string[]): Promise<Conversation> {
  const body: SetConversationLabelsRequest = { labelIds };
  return request<Conversation>('PUT', `${base(id)}/labels`, body);
}

/** Uploads an image (png, jpeg or gif, at most 2 MB) to reply with: multipart, field `file`. */
export function uploadImage(id: string, file: File): Promise<Upload> {
  const form = new FormData();
  form.append('file', file, file.name);
  return request<Upload>('POST', `${base(id)}/uploads`, form);
}

export function markConversationRead(id: string): Promise<Conversation> {
  return request<Conversation>('POST', `${base(id)}/read`);
}

/** What changed since `since`; without it, only the current cursor. */
export function sync(since?: string | null): Promise<SyncResponse> {
  return request<SyncResponse>('GET', `/api/sync${queryString({ since })}`);
}
