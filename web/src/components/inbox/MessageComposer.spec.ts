import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Conversation, Upload } from '@inbox/shared';
import * as cannedApi from '../../api/cannedResponses';
import * as api from '../../api/conversations';
import { ApiError } from '../../api/http';
import { makeCannedResponse } from '../../test/catalog-factories';
import { makeConversation, makeMessage } from '../../test/factories';
import { createTestApp } from '../../test/mount';
import { useAuthStore } from '../../stores/auth';
import { useConversationsStore } from '../../stores/conversations';
import { useRealtimeStore } from '../../stores/realtime';
import MessageComposer from './MessageComposer.vue';
import { replyState } from './reply-window';

vi.mock('../../api/conversations');
vi.mock('../../api/cannedResponses');

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
    vi.mocked(api.uploadImage).mockReset();
    vi.mocked(cannedApi.listCannedResponses).mockReset();
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
        text: body.type === 'text' ? body.text : null,
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

describe('MessageComposer: images', () => {
  let wrapper: VueWrapper | undefined;

  function mountComposer(conversation: Conversation) {
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u1', email: 'a@example.com', name: 'Agent', role: 'agent', accountIds: ['acc-1'] });
    useConversationsStore().applyConversation(conversation);
    wrapper = mount(MessageComposer, {
      props: { conversation, accountName: 'Brand A' },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  /** Picks a file in the (hidden) file input, as the browser's file dialog would. */
  async function pickFile(w: VueWrapper, file: File): Promise<void> {
    const input = w.get('[data-test="composer-image-input"]');
    Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
    await input.trigger('change');
  }

  const png = (bytes: number, name = 'receipt.png') => new File([new Uint8Array(bytes)], name, { type: 'image/png' });

  function uploadOf(file: File, id = 'up-1'): Upload {
    return {
      id,
      accountId: 'acc-1',
      kind: 'image',
      fileName: file.name,
      contentType: file.type,
      size: file.size,
      url: `/api/uploads/${id}`,
      createdAt: '2025-01-01T10:00:00.000Z',
    };
  }

  beforeEach(() => {
    vi.mocked(api.uploadImage).mockReset();
    vi.mocked(api.sendMessage).mockReset();
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('accepts only PNG, JPEG and GIF files in the file dialog', () => {
    const w = mountComposer(openWindow());
    expect(w.get('[data-test="composer-image-input"]').attributes('accept')).toBe('image/png,image/jpeg,image/gif');
    expect(w.get('[data-test="composer-image"]').attributes('aria-label')).toBe('Send an image');
  });

  it('refuses a file of another type before uploading, with a clear message', async () => {
    const w = mountComposer(openWindow());
    await pickFile(w, new File(['%PDF-1.4'], 'invoice.pdf', { type: 'application/pdf' }));
    expect(w.get('[data-test="composer-image-error"]').text()).toBe('Only PNG, JPEG or GIF images can be sent.');
    expect(w.find('[data-test="composer-image-preview"]').exists()).toBe(false);
    expect(api.uploadImage).not.toHaveBeenCalled();
  });

  it('refuses an image over 2 MB before uploading, and takes the next good one', async () => {
    const w = mountComposer(openWindow());
    await pickFile(w, png(2 * 1024 * 1024 + 1, 'huge.png'));
    expect(w.get('[data-test="composer-image-error"]').text()).toBe(
      'This image is too large: WeChat accepts at most 2 MB.',
    );
    expect(w.find('[data-test="composer-image-preview"]').exists()).toBe(false);
    expect(api.uploadImage).not.toHaveBeenCalled();

    await pickFile(w, png(2 * 1024 * 1024)); // exactly 2 MB is allowed
    expect(w.find('[data-test="composer-image-error"]').exists()).toBe(false);
    expect(w.get('[data-test="composer-image-preview"]').text()).toContain('receipt.png');
  });

  it('previews the image, uploads it on send and sends it as an image through the account', async () => {
    const c = openWindow();
    const file = png(2048);
    vi.mocked(api.uploadImage).mockImplementation(async () => uploadOf(file));
    vi.mocked(api.sendMessage).mockImplementation(async (id, body) =>
      makeMessage({
        id: '40',
        conversationId: id,
        direction: 'out',
        type: 'image',
        text: null,
        status: 'queued',
        payload: { mediaUrl: '/api/uploads/up-1' },
        clientMessageId: body.clientMessageId,
      }),
    );
    const w = mountComposer(c);
    await pickFile(w, file);
    const preview = w.get('[data-test="composer-image-preview"]');
    expect(preview.get('img').attributes('alt')).toBe('Preview of receipt.png');
    expect(preview.text()).toContain('2 KB');
    expect(api.uploadImage).not.toHaveBeenCalled(); // nothing leaves before the agent confirms

    await w.get('[data-test="composer-image-send"]').trigger('click');
    await flushPromises();
    expect(api.uploadImage).toHaveBeenCalledWith(c.id, file);
    expect(api.sendMessage).toHaveBeenCalledWith(c.id, {
      type: 'image',
      uploadId: 'up-1',
      clientMessageId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(w.find('[data-test="composer-image-preview"]').exists()).toBe(false);
    expect(w.find('[data-test="composer-error"]').exists()).toBe(false);
  });

  it('retries a send whose answer was lost with the same upload and client message id', async () => {
    const c = openWindow();
    const file = png(1000);
    vi.mocked(api.uploadImage).mockResolvedValue(uploadOf(file));
    vi.mocked(api.sendMessage)
      .mockRejectedValueOnce(new ApiError(0, 'http/unavailable', 'offline'))
      .mockImplementationOnce(async (id, body) =>
        makeMessage({
          id: '41',
          conversationId: id,
          direction: 'out',
          type: 'image',
          clientMessageId: body.clientMessageId,
        }),
      );
    const w = mountComposer(c);
    await pickFile(w, file);
    await w.get('[data-test="composer-image-send"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-test="composer-error"]').text()).toBe(
      'The server cannot be reached right now. Please try again shortly.',
    );
    expect(w.find('[data-test="composer-image-preview"]').exists()).toBe(true); // kept for the retry

    await w.get('[data-test="composer-image-send"]').trigger('click');
    await flushPromises();
    expect(api.uploadImage).toHaveBeenCalledTimes(1);
    const [first, second] = vi.mocked(api.sendMessage).mock.calls.map((call) => call[1]);
    expect(second).toEqual(first);
    expect(w.find('[data-test="composer-image-preview"]').exists()).toBe(false);
  });

  it('uploads again when the server refuses the upload it was given', async () => {
    const c = openWindow();
    const file = png(1000);
    vi.mocked(api.uploadImage)
      .mockResolvedValueOnce({ ...uploadOf(file), id: 'up-gone' })
      .mockResolvedValueOnce({ ...uploadOf(file), id: 'up-new' });
    vi.mocked(api.sendMessage)
      .mockRejectedValueOnce(
        new ApiError(400, 'validation/failed', 'no such upload', { uploadId: ['not an upload of this account'] }),
      )
      .mockImplementationOnce(async (id, body) =>
        makeMessage({
          id: '42',
          conversationId: id,
          direction: 'out',
          type: 'image',
          clientMessageId: body.clientMessageId,
        }),
      );
    const w = mountComposer(c);
    await pickFile(w, file);
    await w.get('[data-test="composer-image-send"]').trigger('click');
    await flushPromises();
    await w.get('[data-test="composer-image-send"]').trigger('click');
    await flushPromises();
    expect(api.uploadImage).toHaveBeenCalledTimes(2);
    const sent = vi.mocked(api.sendMessage).mock.calls.map((call) => (call[1] as { uploadId: string }).uploadId);
    expect(sent).toEqual(['up-gone', 'up-new']);
  });

  it('cancels a picked image without uploading it', async () => {
    const w = mountComposer(openWindow());
    await pickFile(w, png(10));
    await w.get('[data-test="composer-image-cancel"]').trigger('click');
    expect(w.find('[data-test="composer-image-preview"]').exists()).toBe(false);
    expect(api.uploadImage).not.toHaveBeenCalled();
  });

  it('offers no image while the reply window is closed or in note mode', async () => {
    const w = mountComposer(openWindow({ windowClosesAt: null, sendsLeft: 0 }));
    expect(w.get('[data-test="composer-image"]').attributes('disabled')).toBeDefined();
    await w.setProps({ conversation: openWindow() });
    expect(w.get('[data-test="composer-image"]').attributes('disabled')).toBeUndefined();
    await w.get('[data-test="composer-note-toggle"]').trigger('click');
    expect(w.get('[data-test="composer-image"]').attributes('disabled')).toBeDefined();
  });
});

describe('MessageComposer: canned responses and typing', () => {
  let wrapper: VueWrapper | undefined;

  const replies = [
    makeCannedResponse('r-hours', 'hours', 'We are open 9:00–18:00, Monday to Friday.'),
    makeCannedResponse('r-hello', 'hello', 'Hello! How can I help?'),
    makeCannedResponse('r-ship', 'shipping', 'Orders ship within 2 days.', { accountId: 'acc-1' }),
    makeCannedResponse('r-other', 'hotline', 'Call the other brand.', { accountId: 'acc-2' }),
  ];

  function mountComposer(conversation: Conversation) {
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u1', email: 'a@example.com', name: 'Agent', role: 'agent', accountIds: ['acc-1'] });
    useConversationsStore().applyConversation(conversation);
    wrapper = mount(MessageComposer, {
      props: { conversation, accountName: 'Brand A' },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  const textarea = (w: VueWrapper) => w.get('textarea');
  const options = (w: VueWrapper) => w.findAll('[data-test="canned-option"]');
  const activeOption = (w: VueWrapper) => w.get('[data-test="canned-option"][aria-selected="true"]');

  beforeEach(() => {
    vi.mocked(api.sendMessage).mockReset();
    vi.mocked(cannedApi.listCannedResponses).mockReset();
    vi.mocked(cannedApi.listCannedResponses).mockResolvedValue(replies);
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    vi.useRealTimers();
  });

  it('opens on "/" with the global replies and the account’s own, narrowed as the agent types', async () => {
    const w = mountComposer(openWindow());
    await textarea(w).setValue('/');
    await flushPromises();
    expect(options(w).map((o) => o.attributes('data-id'))).toEqual(['r-hello', 'r-hours', 'r-ship']); // not acc-2's
    expect(textarea(w).attributes('aria-controls')).toBe(w.get('[role="listbox"]').attributes('id'));
    await textarea(w).setValue('/hou');
    expect(options(w).map((o) => o.attributes('data-id'))).toEqual(['r-hours']);
    await textarea(w).setValue('/zzz');
    expect(options(w)).toHaveLength(0);
    expect(w.get('[data-test="canned-empty"]').text()).toBe('No canned response matches.');
    expect(cannedApi.listCannedResponses).toHaveBeenCalledTimes(1);
  });

  it('moves with ↑/↓ and inserts the chosen text with Enter, without sending', async () => {
    const w = mountComposer(openWindow());
    await textarea(w).setValue('/h');
    await flushPromises();
    expect(options(w).map((o) => o.attributes('data-id'))).toEqual(['r-hello', 'r-hours', 'r-ship']);
    expect(activeOption(w).attributes('data-id')).toBe('r-hello');
    await textarea(w).trigger('keydown', { key: 'ArrowDown' });
    expect(activeOption(w).attributes('data-id')).toBe('r-hours');
    expect(textarea(w).attributes('aria-activedescendant')).toBe(activeOption(w).attributes('id'));
    await textarea(w).trigger('keydown', { key: 'ArrowUp' });
    await textarea(w).trigger('keydown', { key: 'ArrowUp' }); // wraps to the last
    expect(activeOption(w).attributes('data-id')).toBe('r-ship');
    await textarea(w).trigger('keydown', { key: 'Enter' });
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe('Orders ship within 2 days.');
    expect(w.find('[data-test="canned-picker"]').exists()).toBe(false);
    expect(api.sendMessage).not.toHaveBeenCalled();
  });

  it('closes on Esc and stays closed while the text is still a slash command; Enter then sends it', async () => {
    vi.mocked(api.sendMessage).mockImplementation(async (id, body) =>
      makeMessage({ id: '50', conversationId: id, direction: 'out', clientMessageId: body.clientMessageId }),
    );
    const c = openWindow();
    const w = mountComposer(c);
    await textarea(w).setValue('/shrug');
    await flushPromises();
    expect(w.find('[data-test="canned-picker"]').exists()).toBe(true);
    await textarea(w).trigger('keydown', { key: 'Escape' });
    expect(w.find('[data-test="canned-picker"]').exists()).toBe(false);
    await textarea(w).setValue('/shrug ¯');
    expect(w.find('[data-test="canned-picker"]').exists()).toBe(false);
    await textarea(w).trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.sendMessage).toHaveBeenCalledWith(c.id, expect.objectContaining({ type: 'text', text: '/shrug ¯' }));
  });

  it('opens the same list from the button, with its own search field, and adds the pick to the draft', async () => {
    const w = mountComposer(openWindow());
    await textarea(w).setValue('Hi Wang,');
    const button = w.get('[data-test="composer-canned"]');
    expect(button.attributes('aria-label')).toBe('Insert a canned response');
    await button.trigger('click');
    await flushPromises();
    const search = w.get('[data-test="canned-search"]');
    expect(document.activeElement).toBe(search.element);
    expect(options(w)).toHaveLength(3);
    await search.setValue('ship');
    expect(options(w).map((o) => o.attributes('data-id'))).toEqual(['r-ship']);
    await search.trigger('keydown', { key: 'Enter' });
    expect((textarea(w).element as HTMLTextAreaElement).value).toBe('Hi Wang, Orders ship within 2 days.');
    expect(w.find('[data-test="canned-picker"]').exists()).toBe(false);

    await button.trigger('click');
    await w.get('[data-test="canned-search"]').trigger('keydown', { key: 'Escape' });
    expect(w.find('[data-test="canned-picker"]').exists()).toBe(false);
  });

  it('tells colleagues the agent is typing, and that they stopped on send', async () => {
    vi.useFakeTimers();
    vi.mocked(api.sendMessage).mockImplementation(async (id, body) =>
      makeMessage({ id: '51', conversationId: id, direction: 'out', clientMessageId: body.clientMessageId }),
    );
    const c = openWindow();
    const w = mountComposer(c);
    const sendTyping = vi.spyOn(useRealtimeStore(), 'sendTyping').mockImplementation(() => undefined);
    await textarea(w).setValue('H');
    await textarea(w).setValue('He');
    await textarea(w).setValue('Hey');
    expect(sendTyping.mock.calls).toEqual([[c.id, true]]);
    await textarea(w).trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(sendTyping.mock.calls).toEqual([
      [c.id, true],
      [c.id, false],
    ]);
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
