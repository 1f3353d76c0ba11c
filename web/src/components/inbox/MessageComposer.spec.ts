import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Conversation } from '@inbox/shared';
import * as api from '../../api/conversations';
import { ApiError } from '../../api/http';
import { makeConversation, makeMessage } from '../../test/factories';
import { createTestApp } from '../../test/mount';
import { useAuthStore } from '../../stores/auth';
import { useConversationsStore } from '../../stores/conversations';
import MessageComposer from './MessageComposer.vue';
import { replyState } from './reply-window';

vi.mock('../../api/conversations');

const HOUR = 3600_000;

function openWindow(overrides: Partial<Conversation> = {}): Conversation {
  return makeConversation({
    windowClosesAt: new Date(Date.now() + 47 * HOUR + 30 * 60_000 + 30_000).toISOString(),
    sendsLeft: 5,
    ...overrides,
  });
}

describe('MessageComposer', () => {
  let wrapper: VueWrapper | undefined;

  function mountComposer(conversation: Conversation, accountName = 'Brand A') {
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u1', email: 'a@example.com', name: 'Agent', role: 'agent', accountIds: ['acc-1'] });
    useConversationsStore().applyConversation(conversation);
    wrapper = mount(MessageComposer, {
      props: { conversation, accountName },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  const sendButton = (w: VueWrapper) => w.get('[data-test="composer-send"]');
  const textarea = (w: VueWrapper) => w.get('textarea');

  beforeEach(() => {
    vi.mocked(api.sendMessage).mockReset();
    vi.mocked(api.createNote).mockReset();
    vi.mocked(api.getConversation).mockReset();
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('names the account on the send button and shows the window countdown and the replies left', async () => {
    const c = openWindow();
    const w = mountComposer(c);
    await flushPromises(); // Element Plus sets the textarea's id after mounting
    expect(textarea(w).attributes('id')).toBe(`composer-${c.id}`);
    expect(w.get(`label[for="composer-${c.id}"]`).text()).toBe('Reply');
    expect(sendButton(w).text()).toBe('Send via Brand A');
    expect(w.get('[data-test="composer-window"]').text()).toBe('Reply window closes in 47 h 30 min');
    expect(w.get('[data-test="composer-sends-left"]').text()).toBe('5 replies left');
    expect(w.find('[data-test="composer-blocked"]').exists()).toBe(false);
    expect(w.find('[data-test="composer-last-send"]').exists()).toBe(false);
    expect(sendButton(w).attributes('disabled')).toBeDefined(); // nothing typed yet
    await textarea(w).setValue('Hello');
    expect(sendButton(w).attributes('disabled')).toBeUndefined();
  });

  it('warns before the last reply WeChat allows, but still sends it', async () => {
    const w = mountComposer(openWindow({ sendsLeft: 1 }));
    expect(w.get('[data-test="composer-last-send"]').text()).toContain(
      'This is the last reply allowed until the customer writes again.',
    );
    await textarea(w).setValue('Last one');
    expect(sendButton(w).attributes('disabled')).toBeUndefined();
  });

  it.each([
    ['no window', { windowClosesAt: null, sendsLeft: 0 }, 'window_closed', 'The 48-hour reply window is closed.'],
    [
      'a window in the past',
      { windowClosesAt: new Date(Date.now() - 1000).toISOString(), sendsLeft: 3 },
      'window_closed',
      'The 48-hour reply window is closed.',
    ],
    ['no replies left', { sendsLeft: 0 }, 'quota_exhausted', 'No replies are left in this window.'],
  ])('blocks replies with the reason when there is %s', async (_name, overrides, reason, text) => {
    const w = mountComposer(openWindow(overrides));
    const blocked = w.get('[data-test="composer-blocked"]');
    expect(blocked.attributes('data-reason')).toBe(reason);
    expect(blocked.text()).toContain(text);
    expect(w.find('[data-test="composer-window"]').exists()).toBe(false);
    await textarea(w).setValue('Too late?');
    expect(sendButton(w).attributes('disabled')).toBeDefined();
    await textarea(w).trigger('keydown', { key: 'Enter' });
    expect(api.sendMessage).not.toHaveBeenCalled();
  });

  it('still allows a private note when the window is closed', async () => {
    vi.mocked(api.createNote).mockImplementation(async (id, body) =>
      makeMessage({ id: '9', conversationId: id, direction: 'out', type: 'note', private: true, text: body.text }),
    );
    const c = openWindow({ windowClosesAt: null, sendsLeft: 0 });
    const w = mountComposer(c);
    await w.get('[data-test="composer-note-toggle"]').trigger('click');
    expect(w.find('[data-test="composer-blocked"]').exists()).toBe(false);
    expect(sendButton(w).text()).toBe('Add note');
    await textarea(w).setValue('Called the customer back');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(api.createNote).toHaveBeenCalledWith(c.id, { text: 'Called the customer back' });
    expect(api.sendMessage).not.toHaveBeenCalled();
  });

  it('sends on Enter, not on Shift+Enter, and clears the draft', async () => {
    const c = openWindow();
    vi.mocked(api.sendMessage).mockImplementation(async (id, body) =>
      makeMessage({
        id: '10',
        conversationId: id,
        direction: 'out',
        status: 'queued',
        text: body.text,
        clientMessageId: body.clientMessageId,
      }),
    );
    const w = mountComposer(c);
    await textarea(w).setValue('Line one');
    await textarea(w).trigger('keydown', { key: 'Enter', shiftKey: true });
    expect(api.sendMessage).not.toHaveBeenCalled();
    await textarea(w).trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.sendMessage).toHaveBeenCalledWith(c.id, expect.objectContaining({ type: 'text', text: 'Line one' }));
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe('');
  });

  it('shows a refused reply’s error in the console language and keeps the text', async () => {
    vi.mocked(api.sendMessage).mockRejectedValue(new ApiError(409, 'wechat/quota_exhausted', 'quota'));
    vi.mocked(api.getConversation).mockImplementation(async () => openWindow({ sendsLeft: 0 }));
    const w = mountComposer(openWindow());
    await textarea(w).setValue('One more');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(w.get('[data-test="composer-error"]').text()).toBe(
      'All 5 replies allowed since the customer’s last message have been used.',
    );
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe('One more');
  });

  it('keeps a draft per conversation', async () => {
    const a = openWindow();
    const b = openWindow();
    const w = mountComposer(a);
    useConversationsStore().applyConversation(b);
    await textarea(w).setValue('for A');
    await w.setProps({ conversation: b });
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe('');
    await textarea(w).setValue('for B');
    await w.setProps({ conversation: a });
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe('for A');
  });
});

describe('replyState', () => {
  const now = Date.parse('2025-01-01T00:00:00.000Z');
  it('is open with the time and sends left, and flags the last send', () => {
    expect(replyState({ windowClosesAt: '2025-01-01T01:00:00.000Z', sendsLeft: 2 }, now)).toEqual({
      blocked: null,
      lastSend: false,
      msLeft: HOUR,
      sendsLeft: 2,
    });
    expect(replyState({ windowClosesAt: '2025-01-01T01:00:00.000Z', sendsLeft: 1 }, now).lastSend).toBe(true);
  });
  it('is closed at the closing time exactly', () => {
    expect(replyState({ windowClosesAt: '2025-01-01T00:00:00.000Z', sendsLeft: 5 }, now).blocked).toBe('window_closed');
  });
});
