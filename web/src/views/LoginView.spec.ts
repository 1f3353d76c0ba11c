import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Me } from '@inbox/shared';
import { useAuthStore } from '../stores/auth';
import { jsonResponse, mockFetch, sentBody } from '../test/fetch';
import { createTestApp } from '../test/mount';
import LoginView from './LoginView.vue';

const alice: Me = { id: 'u1', email: 'alice@example.com', name: 'Alice', role: 'agent', accountIds: [] };

async function mountLogin(path = '/login') {
  const app = createTestApp();
  useAuthStore().applyMe(null); // the session is known: nobody signed in
  await app.router.push(path);
  const wrapper = mount(LoginView, { global: { plugins: app.plugins }, attachTo: document.body });
  return { ...app, wrapper };
}

async function fillAndSubmit(wrapper: VueWrapper, fields: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(fields)) await wrapper.find(`#${id}`).setValue(value);
  await wrapper.find('form').trigger('submit');
  await flushPromises();
  await flushPromises();
}

describe('LoginView', () => {
  let wrapper: VueWrapper | undefined;

  beforeEach(() => {
    localStorage.clear();
  });

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('labels every input', async () => {
    ({ wrapper } = await mountLogin());
    for (const id of ['login-email', 'login-password']) {
      expect(wrapper.find(`label[for="${id}"]`).exists(), id).toBe(true);
    }
    expect(wrapper.find('#login-totp').exists()).toBe(false);
  });

  it('asks for the TOTP code after auth/totp_required, then signs in with it', async () => {
    const fetchMock = mockFetch(
      jsonResponse(401, { statusCode: 401, code: 'auth/totp_required', message: 'Second factor needed' }),
      jsonResponse(200, { user: alice }),
    );
    const mounted = await mountLogin('/login?redirect=/%3Fview%3Dunassigned');
    wrapper = mounted.wrapper;

    await fillAndSubmit(wrapper, { 'login-email': alice.email, 'login-password': 'secret' });

    expect(sentBody(fetchMock, 0)).toEqual({ email: alice.email, password: 'secret' });
    const totp = wrapper.find('#login-totp');
    expect(totp.exists()).toBe(true);
    expect(document.activeElement?.id).toBe('login-totp');
    expect(wrapper.find('label[for="login-totp"]').text()).toBe('Verification code');
    expect(wrapper.find('[data-test="login-totp-prompt"]').text()).toContain('authenticator app');
    expect(wrapper.find('[data-test="login-error"]').exists()).toBe(false);
    expect(mounted.router.currentRoute.value.name).toBe('login');

    await fillAndSubmit(wrapper, { 'login-totp': ' 123456 ' });

    expect(sentBody(fetchMock, 1)).toEqual({ email: alice.email, password: 'secret', totp: '123456' });
    expect(useAuthStore().user).toEqual(alice);
    expect(mounted.router.currentRoute.value.fullPath).toBe('/?view=unassigned');
  });

  it('shows the translated error for wrong credentials and stays on the page', async () => {
    mockFetch(jsonResponse(401, { statusCode: 401, code: 'auth/invalid_credentials', message: 'nope' }));
    const mounted = await mountLogin();
    wrapper = mounted.wrapper;

    await fillAndSubmit(wrapper, { 'login-email': alice.email, 'login-password': 'wrong' });

    const alert = wrapper.find('[data-test="login-error"] [role="alert"]');
    expect(alert.text()).toContain('Wrong email or password.');
    expect(wrapper.find('#login-totp').exists()).toBe(false);
    expect(mounted.router.currentRoute.value.name).toBe('login');
  });

  it('shows throttling with the wait from Retry-After', async () => {
    mockFetch(jsonResponse(429, { statusCode: 429, code: 'auth/throttled', message: 'slow' }, { 'Retry-After': '42' }));
    ({ wrapper } = await mountLogin());

    await fillAndSubmit(wrapper, { 'login-email': alice.email, 'login-password': 'pw' });

    const text = wrapper.find('[data-test="login-error"]').text();
    expect(text).toContain('Too many attempts');
    expect(text).toContain('42 seconds');
  });

  it('does not call the server when required fields are empty', async () => {
    const fetchMock = mockFetch();
    ({ wrapper } = await mountLogin());

    await fillAndSubmit(wrapper, {});

    expect(fetchMock).not.toHaveBeenCalled();
    const form = wrapper;
    // Element Plus shows field errors after a short debounce.
    await vi.waitFor(() => expect(form.text()).toContain('Please enter your email.'));
    expect(form.text()).toContain('Please enter your password.');
  });

  async function switchTo(view: VueWrapper, language: string): Promise<void> {
    const option = view.findAll('.language-switch label').find((label) => label.text() === language);
    if (!option) throw new Error(`no language option ${language}`);
    await option.find('input').setValue(true);
    await flushPromises();
  }

  it('switches language from the login page without flagging untouched fields', async () => {
    ({ wrapper } = await mountLogin());
    expect(wrapper.find('[data-test="login-submit"]').text()).toBe('Sign in');

    await switchTo(wrapper, '中文');

    expect(wrapper.find('[data-test="login-submit"]').text()).toBe('登录');
    expect(wrapper.find('label[for="login-email"]').text()).toBe('邮箱');
    expect(wrapper.find('.el-form-item.is-error').exists()).toBe(false);
    expect(localStorage.getItem('inbox.locale')).toBe('zh-CN');
  });

  it('re-translates field errors already shown when the language changes', async () => {
    mockFetch();
    ({ wrapper } = await mountLogin());
    const view = wrapper;
    await fillAndSubmit(view, { 'login-password': 'pw' });
    await vi.waitFor(() => expect(view.text()).toContain('Please enter your email.'));

    await switchTo(view, '中文');

    await vi.waitFor(() => expect(view.text()).toContain('请输入邮箱。'));
    expect(view.findAll('.el-form-item.is-error')).toHaveLength(1);
  });
});
