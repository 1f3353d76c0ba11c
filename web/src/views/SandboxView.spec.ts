import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Me } from '@inbox/shared';
import { useAuthStore } from '../stores/auth';
import { useSandboxStore } from '../stores/sandbox';
import { jsonResponse } from '../test/fetch';
import { createTestApp } from '../test/mount';
import { makeSandboxAccount, makeSandboxCustomer, makeSandboxInbox } from '../test/sandbox-factories';
import SandboxView from './SandboxView.vue';

const admin: Me = { id: 'u1', email: 'admin@example.com', name: 'Admin', role: 'admin', accountIds: [] };
const agent: Me = { ...admin, id: 'u2', name: 'Agent', role: 'agent' };
const notFound = { statusCode: 404, code: 'http/not_found', message: 'No route for GET /api/sandbox/accounts' };

/** Answers by path, so the order of the page's calls does not matter. */
function routeFetch(routes: Record<string, () => Response>) {
  const fn = vi.fn<typeof fetch>(async (input) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    const answer = routes[path.split('?')[0] ?? ''];
    if (!answer) throw new Error(`unexpected fetch ${path}`);
    return answer();
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

async function mountView(me: Me, path = '/sandbox') {
  const app = createTestApp();
  useAuthStore().applyMe(me);
  await app.router.push(path);
  const wrapper = mount(SandboxView, { global: { plugins: app.plugins }, attachTo: document.body });
  await flushPromises();
  await flushPromises();
  return { ...app, wrapper };
}

describe('SandboxView', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('says the sandbox is off when the control API is not there, and offers no link to it', async () => {
    routeFetch({ '/api/sandbox/accounts': () => jsonResponse(404, notFound) });
    ({ wrapper } = await mountView(admin));
    expect(wrapper.find('[data-test="sandbox-off"]').text()).toContain('The sandbox is off');
    expect(wrapper.find('[data-test="phone"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="nav-sandbox"]').exists()).toBe(false);
    // Admins still get their screens in the header.
    expect(wrapper.find('[data-test="nav-admin-accounts"]').exists()).toBe(true);
  });

  it('plays the customer in the URL on the phone, with the header link to the page', async () => {
    const account = makeSandboxAccount({ id: 'acc-1', name: 'Harbour Coffee' });
    const wang = makeSandboxCustomer({
      openid: 'oWang',
      displayName: 'Wang Fang',
      window: { remaining: 3, expiresAt: '2030-01-01T10:00:00.000Z' },
    });
    const li = makeSandboxCustomer({ openid: 'oLi', displayName: 'Li Lei' });
    const at = '2025-01-01T10:00:00.000Z';
    const inbox = makeSandboxInbox({
      accountId: 'acc-1',
      customer: wang,
      items: [
        { kind: 'customer', at, pushId: 'p1', msgType: 'text', summary: 'Hi there', delivered: true, attempts: 1 },
        { kind: 'received', at, msgtype: 'text', text: 'Hello from us', message: {} },
        {
          kind: 'refused',
          at,
          msgtype: 'text',
          text: 'Too late',
          message: {},
          refusal: { errcode: 45047, errmsg: 'out of response count limit', reason: 'quota' },
        },
      ],
    });
    routeFetch({
      '/api/sandbox/accounts': () => jsonResponse(200, [account]),
      '/api/sandbox/accounts/acc-1/customers': () => jsonResponse(200, [li, wang]),
      '/api/sandbox/accounts/acc-1/customers/oWang/inbox': () => jsonResponse(200, inbox),
    });
    const mounted = await mountView(agent, '/sandbox?account=acc-1&customer=oWang');
    wrapper = mounted.wrapper;
    const w = wrapper;
    await vi.waitFor(() => expect(w.findAll('[data-test="phone-item"]')).toHaveLength(3));

    expect(w.find('[data-test="nav-sandbox"]').exists()).toBe(true);
    expect(w.find('[data-test="nav-admin-accounts"]').exists()).toBe(false); // not an admin
    expect(useSandboxStore().openid).toBe('oWang');
    expect(w.find('[data-test="phone-account"]').text()).toBe('Harbour Coffee');
    const kinds = w.findAll('[data-test="phone-item"]').map((li) => li.attributes('data-kind'));
    expect(kinds).toEqual(['sent', 'received', 'refused']);
    expect(w.find('[data-test="phone-refusal"]').text()).toContain('WeChat would have refused this reply');
    expect(w.find('[data-test="phone-refusal-reason"]').text()).toBe(
      'Error 45047: All 5 replies allowed since the customer’s last message were used.',
    );
    expect(w.find('[data-test="sandbox-window"]').text()).toContain('3 replies left');
    expect(w.find('label[for="sandbox-phone-input"]').text()).toBe('Message');
  });
});
