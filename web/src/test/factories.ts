import type { Conversation, Message } from '@inbox/shared';

let seq = 0;

/** A conversation as the API returns it; every field can be overridden. */
export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  seq++;
  const id = overrides.id ?? `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return {
    id,
    accountId: 'acc-1',
    contact: {
      id: `contact-${id}`,
      openid: `o-openid-${seq}`,
      name: `Customer ${seq}`,
      remark: null,
      subscribed: true,
    },
    status: 'open',
    assigneeId: null,
    teamId: null,
    labelIds: [],
    snoozedUntil: null,
    lastMessageAt: '2025-01-01T10:00:00.000Z',
    lastCustomerMessageAt: '2025-01-01T10:00:00.000Z',
    windowClosesAt: '2025-01-03T10:00:00.000Z',
    sendsLeft: 5,
    unreadCount: 0,
    lastMessage: null,
    createdAt: '2025-01-01T09:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A message as the API returns it (inbound text by default). */
export function makeMessage(overrides: Partial<Message> & { id: string; conversationId: string }): Message {
  return {
    accountId: 'acc-1',
    direction: 'in',
    type: 'text',
    text: `message ${overrides.id}`,
    payload: {},
    externalId: null,
    clientMessageId: null,
    status: null,
    errorCode: null,
    errorReason: null,
    private: false,
    senderId: null,
    createdAt: '2025-01-01T10:05:00.000Z',
    sentAt: '2025-01-01T10:05:00.000Z',
    ...overrides,
  };
}
