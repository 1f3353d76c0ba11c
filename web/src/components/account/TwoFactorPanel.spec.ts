import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Me } from '@inbox/shared';
import { useAuthStore } from '../../stores/auth';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import TwoFactorPanel from './TwoFactorPanel.vue';

const bob: Me = {
  id: 'u2',
  email: 'bob@example.com',
  name: 'Bob',
  role: 'agent',
  accountIds: [],
  totpEnabled: false,
  totpEnrolmentRequired: false,
};
const codes = Array.from({ length: 10 }, (_, i) => `abcd-ef${String(i).padStart(2, '0')}`);
const setup = { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrDataUrl: 'data:image/png;base64,QR' };

describe('TwoFactorPanel', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('enrols: QR and key, a 6-digit code, then the 10 recovery codes exactly once', async () => {
    const fetchMock = mockFetch(jsonResponse(200, setup), jsonResponse(200, { recoveryCodes: codes }));
    const app = createTestApp();
    useAuthStore().applyMe(bob);
    wrapper = mount(TwoFactorPanel, { global: { plugins: app.plugins }, attachTo: document.body });

    expect(wrapper.find('[data-test="totp-status"]').text()).toContain('Off');
    await wrapper.find('[data-test="totp-start"]').trigger('click');
    await flushPromises();

    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/totp/setup');
    expect(wrapper.find('[data-test="totp-qr"]').attributes('src')).toBe(setup.qrDataUrl);
    expect((wrapper.find('#totp-secret').element as HTMLInputElement).value).toBe(setup.secret);
    expect(wrapper.find('label[for="totp-code"]').exists()).toBe(true);

    // A short code is refused before any request.
    await wrapper.find('#totp-code').setValue('123');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(wrapper.find('.el-form-item.is-error label').attributes('for')).toBe('totp-code');

    await wrapper.find('#totp-code').setValue('123456');
    await wrapper.find('form').trigger('submit');
    await flushPromises();

    expect(sentBody(fetchMock, 1)).toEqual({ code: '123456' });
    const shown = wrapper.findAll('[data-test="recovery-code"]').map((li) => li.text());
    expect(shown).toEqual(codes);
    expect(wrapper.find('[data-test="totp-setup"]').exists()).toBe(false);
    expect(useAuthStore().user?.totpEnabled).toBe(true);

    await wrapper.find('[data-test="recovery-done"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="recovery-codes"]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain(codes[0]);
    expect(wrapper.find('[data-test="totp-status"]').text()).toContain('On');
    expect(wrapper.emitted('enrolled')).toHaveLength(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shows a wrong code under the code field and keeps the setup', async () => {
    mockFetch(
      jsonResponse(200, setup),
      jsonResponse(401, { statusCode: 401, code: 'auth/totp_invalid', message: 'Wrong code' }),
    );
    const app = createTestApp();
    useAuthStore().applyMe(bob);
    wrapper = mount(TwoFactorPanel, { global: { plugins: app.plugins }, attachTo: document.body });

    await wrapper.find('[data-test="totp-start"]').trigger('click');
    await flushPromises();
    await wrapper.find('#totp-code').setValue('000000');
    await wrapper.find('form').trigger('submit');
    await flushPromises();

    expect(wrapper.find('[data-test="totp-setup"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="recovery-codes"]').exists()).toBe(false);
    expect(wrapper.find('.el-form-item.is-error label').attributes('for')).toBe('totp-code');
  });
});
