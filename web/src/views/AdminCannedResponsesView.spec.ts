import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Account } from '@inbox/shared';
import { makeCannedResponse } from '../test/catalog-factories';
import { routeFetch, signInAs } from '../test/dialog';
import { jsonResponse } from '../test/fetch';
import { createTestApp } from '../test/mount';
import AdminCannedResponsesView from './AdminCannedResponsesView.vue';

const sandboxOff = () => jsonResponse(404, { statusCode: 404, code: 'http/not_found', message: 'No route' });
const account = (id: string, name: string) => ({ id, name }) as Account;

describe('AdminCannedResponsesView', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('lists replies by shortcut with their scope, filtered by scope and by text', async () => {
    routeFetch({
      'GET /api/sandbox/accounts': sandboxOff,
      'GET /api/accounts': () => jsonResponse(200, [account('a1', 'Harbour Coffee'), account('a2', 'Tea House')]),
      'GET /api/canned-responses': () =>
        jsonResponse(200, [
          makeCannedResponse('c1', 'thanks', 'Thank you for waiting!'),
          makeCannedResponse('c2', 'hours', 'We open at 9.', { accountId: 'a1' }),
          makeCannedResponse('c3', 'refund', 'Refunds take 3 days.', { accountId: 'a2' }),
        ]),
    });
    const app = createTestApp();
    signInAs('admin');
    await app.router.push('/admin/canned-responses');
    wrapper = mount(AdminCannedResponsesView, { global: { plugins: app.plugins }, attachTo: document.body });
    await flushPromises();
    await flushPromises();
    const w = wrapper;
    const shown = () =>
      w
        .findAll('[data-test="canned-row"]')
        .map((r) => [
          r.find('[data-test="canned-row-shortcut"]').text(),
          r.find('[data-test="canned-row-scope"]').text(),
        ]);
    expect(shown()).toEqual([
      ['/hours', 'Harbour Coffee'],
      ['/refund', 'Tea House'],
      ['/thanks', 'Every account'],
    ]);

    const scope = w.findComponent({ name: 'ElSelect' });
    scope.vm.$emit('update:modelValue', 'a2');
    await flushPromises();
    expect(shown()).toEqual([['/refund', 'Tea House']]);
    scope.vm.$emit('update:modelValue', 'global');
    await flushPromises();
    expect(shown()).toEqual([['/thanks', 'Every account']]);
    scope.vm.$emit('update:modelValue', 'all');
    await flushPromises();

    // Element Plus passes the attribute on to the input element itself.
    const search = w.find('input[data-test="canned-search"]');
    await search.setValue('WAIT');
    expect(shown()).toEqual([['/thanks', 'Every account']]);
    await search.setValue('nothing like it');
    expect(w.find('[data-test="canned-no-match"]').exists()).toBe(true);
  });
});
