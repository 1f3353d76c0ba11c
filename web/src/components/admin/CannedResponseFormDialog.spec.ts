import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { CannedResponse } from '@inbox/shared';
import { useCannedResponsesStore } from '../../stores/cannedResponses';
import { makeCannedResponse } from '../../test/catalog-factories';
import { fieldErrors, fill, formError, inputValue, signInAs, submitDialog } from '../../test/dialog';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import CannedResponseFormDialog from './CannedResponseFormDialog.vue';

const ACCOUNT = '11111111-1111-4111-8111-111111111111';

describe('CannedResponseFormDialog', () => {
  let wrapper: VueWrapper | undefined;

  async function openForm(reply: CannedResponse | null = null, defaultAccountId = '') {
    const app = createTestApp();
    signInAs('supervisor');
    wrapper = mount(CannedResponseFormDialog, {
      props: { modelValue: false, reply, defaultAccountId },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('adds a reply for the account the list is filtered on, the text kept as typed inside', async () => {
    const created = makeCannedResponse('c1', 'hours', 'Open 9–18.\nClosed on Sundays.', { accountId: ACCOUNT });
    const fetchMock = mockFetch(jsonResponse(201, created));
    const w = await openForm(null, ACCOUNT);
    await fill({ 'canned-shortcut': ' hours ', 'canned-text': 'Open 9–18.\nClosed on Sundays.\n' });
    await submitDialog('canned-form');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/canned-responses');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('POST');
    expect(sentBody(fetchMock)).toEqual({
      accountId: ACCOUNT,
      shortcut: 'hours',
      text: 'Open 9–18.\nClosed on Sundays.',
    });
    expect(w.emitted('saved')?.[0]).toEqual([created, true]);
    expect(useCannedResponsesStore().items).toEqual([created]);
  });

  it('refuses a shortcut with a space and an empty text under their fields, without calling the server', async () => {
    const fetchMock = mockFetch();
    await openForm();
    await fill({ 'canned-shortcut': 'opening hours', 'canned-text': '  ' });
    await submitDialog('canned-form');
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.waitFor(() =>
      expect(fieldErrors()).toEqual(['Only letters, digits, _ and - (no spaces), at most 32.', 'Required.']),
    );
  });

  it('shows a shortcut the server refuses (taken in this scope) under the shortcut, other fields above', async () => {
    mockFetch(
      jsonResponse(400, {
        statusCode: 400,
        code: 'validation/failed',
        message: 'Invalid shortcut',
        fields: { shortcut: ['shortcut hours is already used here'], flavour: ['not allowed'] },
      }),
    );
    const w = await openForm();
    await fill({ 'canned-shortcut': 'hours', 'canned-text': 'Open 9–18.' });
    await submitDialog('canned-form');
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['shortcut hours is already used here']));
    expect(formError('canned-form')).toContain('not allowed');
    expect(w.emitted('saved')).toBeUndefined();
    // Typing in the field clears the server's message.
    await fill({ 'canned-shortcut': 'hours2' });
    await vi.waitFor(() => expect(fieldErrors()).toEqual([]));
  });

  it('says above the form when the reply is gone (404)', async () => {
    mockFetch(jsonResponse(404, { statusCode: 404, code: 'canned_responses/not_found', message: 'Gone' }));
    await openForm(makeCannedResponse('c1', 'hours', 'Open 9–18.'));
    await submitDialog('canned-form');
    await vi.waitFor(() => expect(formError('canned-form')).toBe('Canned response not found.'));
  });

  it('edits a global reply: starts from it and PATCHes it with accountId null', async () => {
    const reply = makeCannedResponse('c1', 'hours', 'Open 9–18.');
    const fetchMock = mockFetch(jsonResponse(200, { ...reply, text: 'Open 9–20.' }));
    const w = await openForm(reply, ACCOUNT);
    expect(inputValue('canned-shortcut')).toBe('hours');
    expect(inputValue('canned-text')).toBe('Open 9–18.');
    await fill({ 'canned-text': 'Open 9–20.' });
    await submitDialog('canned-form');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/canned-responses/c1');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('PATCH');
    expect(sentBody(fetchMock)).toEqual({ accountId: null, shortcut: 'hours', text: 'Open 9–20.' });
    expect(w.emitted('saved')?.[0]?.[1]).toBe(false);
  });
});
