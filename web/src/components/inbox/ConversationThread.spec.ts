import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Conversation } from '@inbox/shared';
import { makeLabel } from '../../test/catalog-factories';
import { makeConversation } from '../../test/factories';
import { createTestApp } from '../../test/mount';
import { useAuthStore } from '../../stores/auth';
import { useConversationsStore } from '../../stores/conversations';
import { useLabelsStore } from '../../stores/labels';
import { usePresenceStore } from '../../stores/presence';
import { TYPING_TTL_MS, useTypingStore } from '../../stores/typing';
import ConversationThread from './ConversationThread.vue';

vi.mock('../../api/conversations');

describe('ConversationThread', () => {
  let wrapper: VueWrapper | undefined;

  function mountThread(conversation: Conversation) {
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u-me', email: 'me@example.com', name: 'Me', role: 'agent', accountIds: ['acc-1'] });
    useConversationsStore().applyConversation(conversation);
    wrapper = mount(ConversationThread, { props: { conversation }, global: { plugins: app.plugins } });
    return wrapper;
  }

  afterEach(() => {
    useTypingStore().reset();
    wrapper?.unmount();
    wrapper = undefined;
    vi.useRealTimers();
  });

  it('shows which colleagues are typing in this conversation, not the agent themself, until the hint expires', async () => {
    vi.useFakeTimers();
    const c = makeConversation();
    const w = mountThread(c);
    const typing = useTypingStore();
    const indicator = () => w.get('[data-test="typing-indicator"]').text();
    expect(indicator()).toBe('');
    typing.applyTyping({ conversationId: c.id, userId: 'u-alice', name: 'Alice', typing: true });
    typing.applyTyping({ conversationId: c.id, userId: 'u-me', name: 'Me', typing: true }); // another tab of mine
    typing.applyTyping({ conversationId: 'elsewhere', userId: 'u-bob', name: 'Bob', typing: true });
    await flushPromises();
    expect(indicator()).toBe('Alice is typing…');
    typing.applyTyping({ conversationId: c.id, userId: 'u-bob', name: 'Bob', typing: true });
    await flushPromises();
    expect(indicator()).toBe('Alice and Bob are typing…');
    typing.applyTyping({ conversationId: c.id, userId: 'u-bob', name: 'Bob', typing: false });
    await vi.advanceTimersByTimeAsync(TYPING_TTL_MS);
    expect(indicator()).toBe('');
  });

  it('shows the labels as coloured tags and a green dot when the assignee is online', async () => {
    const c = makeConversation({ assigneeId: 'u-alice', labelIds: ['l-vip', 'l-gone'] });
    const w = mountThread(c);
    useLabelsStore().applyLabels([makeLabel('l-vip', 'VIP', { color: '#ffeb3b' }), makeLabel('l-x', 'Other')]);
    await flushPromises();
    const tags = w.findAll('[data-test="label-tag"]');
    expect(tags.map((tag) => tag.text())).toEqual(['VIP']); // a deleted label is left out
    expect(tags[0]?.attributes('style')).toContain('; color: #000000'); // dark text on yellow
    expect(w.find('[data-test="presence-online"]').exists()).toBe(false);
    usePresenceStore().applyPresence({ userId: 'u-alice', online: true });
    await flushPromises();
    expect(w.get('[data-test="presence-online"]').attributes('aria-label')).toBe('Online');
  });
});
