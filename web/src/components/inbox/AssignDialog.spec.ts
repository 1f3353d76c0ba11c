import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { usePresenceStore } from '../../stores/presence';
import { fill, signInAs } from '../../test/dialog';
import { makeConversation } from '../../test/factories';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import AssignDialog from './AssignDialog.vue';

const COLLEAGUES = [
  { id: 'me', name: 'The supervisor', role: 'supervisor', accountIds: ['accA', 'accB'] },
  { id: 'u1', name: 'Wang Fang', role: 'agent', accountIds: ['accA'] },
  { id: 'u2', name: 'Bo', role: 'agent', accountIds: ['accB'] },
  { id: 'u3', name: 'Chen Jie', role: 'agent', accountIds: ['accA'] },
  { id: 'boss', name: 'Boss', role: 'manager', accountIds: ['accA', 'accB'] },
];

const options = () =>
  Array.from(document.querySelectorAll('[data-test^="assign-option-"]'), (el) =>
    el.getAttribute('data-test')?.replace('assign-option-', ''),
  );

describe('AssignDialog', () => {
  let wrapper: VueWrapper | undefined;
  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('offers the colleagues who see the account, online first, and transfers with the reason', async () => {
    const conversation = makeConversation({ id: 'c1', accountId: 'accA', assigneeId: 'u3' });
    const fetchMock = mockFetch(
      jsonResponse(200, COLLEAGUES),
      jsonResponse(200, { ...conversation, assigneeId: 'u1' }),
    );
    const app = createTestApp();
    signInAs('supervisor', { accountIds: ['accA', 'accB'] });
    usePresenceStore().applyOnline({ online: ['u1'] });
    wrapper = mount(AssignDialog, {
      props: { modelValue: true, conversation },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    await flushPromises();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/colleagues');
    // u2 works on another account, the manager answers no conversations, u3 holds it already.
    expect(options()).toEqual(['u1', 'me']);
    expect(document.querySelector('[data-test="assign-option-u1"] [data-test="presence-online"]')).not.toBeNull();
    expect(document.querySelector('[data-test="assign-dialog"]')?.textContent).toContain('Transfer conversation');

    (document.querySelector('[data-test="assign-option-u1"]') as HTMLElement).click();
    await fill({ 'assign-note': '  Needs the refunds team ' });
    (document.querySelector('[data-test="assign-save"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/conversations/c1/assignee');
    expect(sentBody(fetchMock, 1)).toEqual({ userId: 'u1', note: 'Needs the refunds team' });
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual([false]);
  });

  it('sends nothing until a colleague is picked', async () => {
    const conversation = makeConversation({ id: 'c2', accountId: 'accB', assigneeId: null });
    const fetchMock = mockFetch(jsonResponse(200, COLLEAGUES));
    const app = createTestApp();
    signInAs('admin');
    wrapper = mount(AssignDialog, {
      props: { modelValue: true, conversation },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    await flushPromises();
    expect(options()).toEqual(['u2', 'me']);
    expect(document.querySelector('[data-test="assign-dialog"]')?.textContent).toContain('Assign conversation');
    expect((document.querySelector('[data-test="assign-save"]') as HTMLButtonElement).disabled).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
