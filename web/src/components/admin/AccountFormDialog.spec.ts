import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Account } from '@inbox/shared';
import { useAccountsStore } from '../../stores/accounts';
import { useAuthStore } from '../../stores/auth';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import AccountFormDialog from './AccountFormDialog.vue';

const VALID = {
  'account-name': 'Harbour Coffee',
  'account-app-id': 'wx0123456789abcdef',
  'account-original-id': 'gh_0123456789ab',
  'account-app-secret': '0123456789abcdefABCDEF0123456789',
  'account-token': 'tok3n',
  'account-aes-key': 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456',
};

function input(id: string): HTMLInputElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
  return el;
}

async function fill(fields: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(fields)) {
    const el = input(id);
    el.value = value;
    el.dispatchEvent(new Event('input'));
  }
  await flushPromises();
}

async function submit(): Promise<void> {
  (document.querySelector('[data-test="account-submit"]') as HTMLButtonElement).click();
  await flushPromises();
  await flushPromises();
}

const errors = () => Array.from(document.querySelectorAll('.el-form-item__error'), (e) => e.textContent?.trim());

describe('AccountFormDialog', () => {
  let wrapper: VueWrapper | undefined;

  function mountForm(account: Account | null = null) {
    const app = createTestApp();
    // The session is known (nobody is asked for it): the router's guard lets the test page in.
    useAuthStore().applyMe({ id: 'u1', email: 'admin@example.com', name: 'Admin', role: 'admin', accountIds: [] });
    wrapper = mount(AccountFormDialog, {
      props: { modelValue: true, account },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
  });

  it('labels every field', async () => {
    mountForm();
    await flushPromises();
    for (const id of Object.keys(VALID)) {
      expect(document.querySelector(`label[for="${id}"]`), id).not.toBeNull();
    }
  });

  it('refuses an AppID the server would refuse, under its field, without calling the server', async () => {
    const fetchMock = mockFetch();
    mountForm();
    await flushPromises();
    await fill({ ...VALID, 'account-app-id': 'wx12345' });
    await submit();
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.waitFor(() =>
      expect(errors()).toEqual(['An AppID is “wx” followed by 16 hexadecimal characters (0–9, a–f).']),
    );
  });

  it('generates a 43-character EncodingAESKey', async () => {
    mountForm();
    await flushPromises();
    (document.querySelector('[data-test="account-generate-key"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(input('account-aes-key').value).toMatch(/^[A-Za-z0-9]{43}$/);
  });

  it('shows the server’s validation/failed fields under the fields they name', async () => {
    mockFetch(
      jsonResponse(400, {
        statusCode: 400,
        code: 'validation/failed',
        message: 'Invalid originalId, flavour',
        fields: { originalId: ['originalId must be the original ID "gh_…" of the account'], flavour: ['not allowed'] },
      }),
    );
    mountForm();
    await flushPromises();
    await fill(VALID);
    await submit();
    await vi.waitFor(() =>
      expect(errors()).toEqual(['The original ID is “gh_” followed by 6 to 32 letters or digits.']),
    );
    // A field the form does not have: said above the form, in the server's words.
    expect(document.querySelector('[data-test="account-form-error"]')?.textContent).toContain('not allowed');
    // Typing in the field clears the server's message.
    await fill({ 'account-original-id': 'gh_abcdef123' });
    await vi.waitFor(() => expect(errors()).toEqual([]));
  });

  it('links the account and hands it over with the typed secrets', async () => {
    const created = { id: 'acc-9', name: 'Harbour Coffee', callbackUrl: 'https://x/webhooks/wechat/acc-9' };
    const fetchMock = mockFetch(jsonResponse(201, created));
    const w = mountForm();
    await flushPromises();
    await fill(VALID);
    await submit();
    expect(sentBody(fetchMock)).toEqual({
      kind: 'wechat_oa',
      name: 'Harbour Coffee',
      appId: 'wx0123456789abcdef',
      appSecret: VALID['account-app-secret'],
      token: 'tok3n',
      encodingAesKey: VALID['account-aes-key'],
      mode: 'safe',
      originalId: 'gh_0123456789ab',
    });
    expect(w.emitted('saved')?.[0]).toEqual([
      created,
      true,
      { token: 'tok3n', encodingAesKey: VALID['account-aes-key'] },
    ]);
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false]);
    expect(useAccountsStore().accounts).toEqual([created]);
  });
});
