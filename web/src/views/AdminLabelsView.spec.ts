import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { makeLabel } from '../test/catalog-factories';
import { fill, inputValue, routeFetch, signInAs, submitDialog } from '../test/dialog';
import { jsonResponse } from '../test/fetch';
import { createTestApp } from '../test/mount';
import AdminLabelsView from './AdminLabelsView.vue';

const sandboxOff = () => jsonResponse(404, { statusCode: 404, code: 'http/not_found', message: 'No route' });

describe('AdminLabelsView', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('edits a label from its row and shows the saved name in the list', async () => {
    const vip = makeLabel('l1', 'vip', { color: '#ffd700' });
    routeFetch({
      'GET /api/sandbox/accounts': sandboxOff,
      'GET /api/labels': () => jsonResponse(200, [vip, makeLabel('l2', 'complaint')]),
      'PATCH /api/labels/l1': (body) => jsonResponse(200, { ...vip, ...(body as object) }),
    });
    const app = createTestApp();
    signInAs('supervisor');
    await app.router.push('/admin/labels');
    wrapper = mount(AdminLabelsView, { global: { plugins: app.plugins }, attachTo: document.body });
    await flushPromises();
    await flushPromises();
    const names = () => wrapper!.findAll('[data-test="label-row-name"]').map((r) => r.text());
    expect(names()).toEqual(['complaint', 'vip']);

    await wrapper.find('[data-id="l1"] [data-test="label-row-edit"]').trigger('click');
    await flushPromises();
    expect(inputValue('label-name')).toBe('vip');
    await fill({ 'label-name': 'VIP' });
    await submitDialog('label-form');
    expect(names()).toEqual(['complaint', 'VIP']);
  });
});
