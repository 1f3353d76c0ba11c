import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Account, Message, Page as ApiPage, SandboxInbox, User } from '@inbox/shared';
import { launchChromium, saveScreenshot, waitUntil, type LaunchedBrowser } from '../support/browser';
import { createTestDatabase } from '../support/db';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { ApiClient, choose, expectText, signIn } from './helpers';

/**
 * The sandbox's customer phone and the admin screens in a real Chromium against the real built server,
 * with its own sandbox as WeChat (SANDBOX=1). An admin links an Official Account through the form (the
 * fields checked as the server checks them, then the callback URL shown); then, in two browsers, the admin
 * plays a customer on the phone page while an agent answers in the console: the customer's message shows
 * up live in the console, the reply on the phone, and a reply WeChat refuses shows as refused, with why.
 */

const ADMIN = { email: 'boss@example.com', password: 'correct-horse-battery' };
const AGENT = { email: 'zhang.wei@example.com', password: 'agent-pass-9q4m1', name: 'Zhang Wei' };
const ACCOUNT_NAME = 'Harbour Coffee';
const CUSTOMER = 'Wang Fang';
const SEND_PATH = '/cgi-bin/message/custom/send';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');

describe('sandbox phone and admin screens (Chromium)', () => {
  let db: { url: string; drop(): Promise<void> };
  let server: ServerProcess;
  let admin: ApiClient;
  let account: Account;
  let adminBrowser: LaunchedBrowser;
  let agentBrowser: LaunchedBrowser;
  /** The admin's browser: the admin screens, then the phone page. */
  let phone: Page;
  /** The agent's console. */
  let agent: Page;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServerProcess({
      DATABASE_URL: db.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      APP_SECRET_KEY: hex(32),
      SANDBOX: '1', // the built-in WeChat; sends go to the server's own /sandbox/wechat
    });
    admin = new ApiClient(server.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const agentUser = await admin.call<User>('POST', '/api/users', { ...AGENT, role: 'agent' });
    account = await admin.call<Account>('POST', '/api/accounts', {
      kind: 'wechat_oa',
      name: ACCOUNT_NAME,
      appId: `wx${hex(8)}`,
      appSecret: alnum(32),
      token: alnum(16),
      encodingAesKey: alnum(43),
      mode: 'safe',
      originalId: `gh_${hex(6)}`,
    });
    await admin.call('PUT', `/api/accounts/${account.id}/members`, { userIds: [agentUser.id] });

    [adminBrowser, agentBrowser] = await Promise.all([
      launchChromium({ viewport: { width: 1280, height: 800 }, locale: 'en-US' }),
      launchChromium({ viewport: { width: 1280, height: 720 }, locale: 'en-US' }),
    ]);
    phone = adminBrowser.page;
    agent = agentBrowser.page;
  }, 120000);

  afterAll(async () => {
    await adminBrowser?.close();
    await agentBrowser?.close();
    await server?.stop();
    await db?.drop();
  });

  it('links an Official Account: fields checked as the server checks them, then the callback URL', async () => {
    await signIn(phone, server.url, ADMIN.email, ADMIN.password);
    await phone.locator('[data-test="nav-admin-accounts"]').click();
    await phone.waitForURL(/\/admin\/accounts$/);
    await phone.locator('[data-test="account-card"]', { hasText: ACCOUNT_NAME }).waitFor();

    await phone.locator('[data-test="link-account"]').click();
    const form = phone.getByRole('dialog', { name: 'Link an Official Account' });
    await form.waitFor();
    const name = 'Demo Tea House';
    const token = alnum(20);
    await form.locator('#account-name').fill(name);
    await form.locator('#account-app-id').fill('wx12345');
    await form.locator('#account-original-id').fill(`gh_${hex(6)}`);
    await form.locator('#account-app-secret').fill(alnum(32));
    await form.locator('#account-token').fill(token);
    await form.locator('[data-test="account-generate-key"]').click();
    const aesKey = await form.locator('#account-aes-key').inputValue();
    expect(aesKey).toMatch(/^[A-Za-z0-9]{43}$/);

    // An AppID the server would refuse is refused here, under its field, and nothing is sent.
    await form.locator('[data-test="account-submit"]').click();
    await expectText(form.locator('.el-form-item__error'), 'An AppID is “wx” followed by 16 hexadecimal characters');
    expect((await admin.call<Account[]>('GET', '/api/accounts')).map((a) => a.name)).toEqual([ACCOUNT_NAME]);

    // The server's own refusal shows under the field it names: an AppID that is already linked.
    await form.locator('#account-app-id').fill(account.appId);
    await form.locator('[data-test="account-submit"]').click();
    await expectText(form.locator('.el-form-item__error'), 'This AppID is already linked.');

    const appId = `wx${hex(8)}`;
    await form.locator('#account-app-id').fill(appId);
    await form.locator('[data-test="account-submit"]').click();
    const setup = phone.getByRole('dialog', { name: `Connect ${name} to WeChat` });
    await setup.waitFor();
    const linked = (await admin.call<Account[]>('GET', '/api/accounts')).find((a) => a.appId === appId);
    expect(linked).toMatchObject({ name, mode: 'safe', secrets: { appSecret: 'set', encodingAesKey: 'set' } });
    expect(linked?.callbackUrl).toMatch(new RegExp(`/webhooks/wechat/${linked?.id ?? 'missing'}$`));
    expect(await setup.locator('#setup-callback-url').inputValue()).toBe(linked?.callbackUrl);
    expect(await setup.locator('#setup-token').inputValue()).toBe(token);
    expect(await setup.locator('#setup-aes-key').inputValue()).toBe(aesKey);
    await setup.locator('[data-test="setup-steps"] li').nth(4).waitFor();
    await setup.locator('[data-test="setup-done"]').click();
    await setup.waitFor({ state: 'hidden' });

    // The new account's card: secrets as set / not set, health not yet seen from WeChat.
    const card = phone.locator('[data-test="account-card"]', { hasText: name });
    await expectText(card.locator('[data-test="health-callback"]'), 'Not yet');
    await expectText(card.locator('[data-test="health-token"]'), 'Not fetched yet');
    await expectText(card.locator('[data-test="secret-aes-key"]'), 'Set');
    expect(await card.locator(`#callback-${linked?.id ?? 'missing'}`).inputValue()).toBe(linked?.callbackUrl);
  });

  it('plays a customer on the phone page: live in the console, the reply on the phone, a refusal explained', async () => {
    await signIn(agent, server.url, AGENT.email, AGENT.password);
    await agent.locator('[data-test="view-all"]').click();
    await agent.locator('[data-test="conversation-list-empty"]').waitFor();

    // The sandbox is on: the header offers the phone page.
    await phone.locator('[data-test="nav-sandbox"]').click();
    await phone.waitForURL(/\/sandbox/);
    await choose(phone, phone.locator('[data-test="sandbox-account"]'), ACCOUNT_NAME);
    await phone.waitForURL(new RegExp(`account=${account.id}`));
    await phone.locator('#sandbox-new-customer').fill(CUSTOMER);
    await phone.locator('[data-test="sandbox-add-customer"]').click();
    await expectText(phone.locator('[data-test="phone-account"]'), ACCOUNT_NAME);
    await phone.waitForURL(/customer=/);
    const openid = new URL(phone.url()).searchParams.get('customer') ?? '';
    await expectText(phone.locator('[data-test="sandbox-openid"]'), openid);

    // The customer writes; the agent sees it live.
    const HELLO = 'Hi! Is the oat latte available without sugar?';
    const input = phone.locator('#sandbox-phone-input');
    await input.fill(HELLO);
    await input.press('Enter');
    await phone.locator('[data-test="phone-item"][data-kind="sent"]', { hasText: HELLO }).waitFor();
    await waitUntil('the phone input to be cleared', async () =>
      (await input.inputValue()) === '' ? true : undefined,
    );
    await expectText(phone.locator('[data-test="sandbox-window"]'), '5 replies left');

    const row = agent.locator('[data-test="conversation-item"]', { hasText: HELLO });
    await row.waitFor();
    const conversationId = (await row.getAttribute('data-id')) ?? '';
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    await row.click();
    await agent.locator('[data-test="thread"] [data-test="message"]', { hasText: HELLO }).waitFor();

    // The agent replies; it arrives on the phone.
    const REPLY = 'Yes, we can make it without sugar. Anything else?';
    const box = agent.locator('[data-test="composer"] textarea');
    await box.fill(REPLY);
    await box.press('Enter');
    await phone.locator('[data-test="phone-item"][data-kind="received"]', { hasText: REPLY }).waitFor();
    await expectText(phone.locator('[data-test="sandbox-window"]'), '4 replies left');

    // A menu tap and a photo reach the console too.
    await phone.locator('[data-test="phone-menu"]').click();
    await phone.locator('#sandbox-menu-key').fill('MENU_ORDERS');
    await phone.locator('[data-test="sandbox-tool-send"]').click();
    await expectText(phone.locator('[data-test="phone-event"]'), 'You tapped the menu item MENU_ORDERS');
    await expectText(agent.locator('[data-test="message-event"]'), 'Clicked menu item MENU_ORDERS');
    await phone.locator('[data-test="phone-image"]').click();
    await phone.locator('[data-test="phone-item"][data-kind="sent"]', { hasText: '[Photo]' }).waitFor();
    await agent.locator('[data-test="thread"] [data-test="message-image"]').waitFor();

    // WeChat refuses the next reply (as it does once the 48-hour window has closed): the phone says so.
    await admin.call('PUT', `/api/sandbox/accounts/${account.id}/fault`, {
      errcode: 45015,
      times: 1,
      paths: [SEND_PATH],
    });
    const REFUSED = 'Your order number is 4711.';
    await box.fill(REFUSED);
    await box.press('Enter');
    const refusal = phone.locator('[data-test="phone-refusal"]', { hasText: REFUSED });
    await refusal.waitFor();
    await expectText(refusal, 'WeChat would have refused this reply');
    await expectText(refusal.locator('[data-test="phone-refusal-reason"]'), 'Error 45015');
    await expectText(refusal.locator('[data-test="phone-refusal-reason"]'), 'The 48-hour window is closed');
    expect(await phone.locator('[data-test="phone-item"][data-kind="received"]', { hasText: REFUSED }).count()).toBe(0);
    // The console shows the same outcome: the reply failed.
    await agent
      .locator('[data-test="message"][data-direction="out"]', { hasText: REFUSED })
      .locator('[data-test="message-status"][data-status="failed"]')
      .waitFor();
    const sandboxInbox = await admin.call<SandboxInbox>(
      'GET',
      `/api/sandbox/accounts/${account.id}/customers/${openid}/inbox`,
    );
    expect(sandboxInbox.items.filter((i) => i.kind === 'refused').map((i) => i.text)).toEqual([REFUSED]);
    await saveScreenshot(phone, 'phone');

    // The conversation in the API agrees with what both pages show.
    const messages = await admin.call<ApiPage<Message>>('GET', `/api/conversations/${conversationId}/messages`);
    expect(messages.items.find((m) => m.text === REPLY)?.status).toBe('sent');
    expect(messages.items.find((m) => m.text === REFUSED)?.status).toBe('failed');
  });

  it('unfollowing stops the customer from writing until they follow again', async () => {
    await phone.locator('[data-test="sandbox-toggle-follow"]').click();
    await phone.locator('[data-test="phone-not-following"]').waitFor();
    await expectText(phone.locator('[data-test="phone-event"]'), 'You unfollowed the account');
    await expectText(agent.locator('[data-test="message-event"]'), 'Unfollowed the account');
    await phone.locator('[data-test="phone-follow"]').click();
    await phone.locator('[data-test="phone-input"]').waitFor();
    await expectText(phone.locator('[data-test="sandbox-following"]'), 'Yes');
  });

  it('shows on the accounts screen what the chat did to the account’s health', async () => {
    await phone.locator('[data-test="nav-admin-accounts"]').click();
    await phone.waitForURL(/\/admin\/accounts$/);
    const card = phone.locator('[data-test="account-card"]', { hasText: ACCOUNT_NAME });
    await expectText(card.locator('[data-test="health-token"]'), 'Valid until');
    await expectText(card.locator('[data-test="health-api-error"]'), 'Error 45015');
    expect(await card.locator('[data-test="health-last-message"]').textContent()).not.toContain('Not yet');
    const api = (await admin.call<Account[]>('GET', '/api/accounts')).find((a) => a.id === account.id);
    expect(api?.health.sendsToday).toBeGreaterThanOrEqual(1);
    await expectText(card.locator('[data-test="health-sends-today"]'), String(api?.health.sendsToday));
    // No toast over the page in the picture.
    await phone.locator('.el-message').first().waitFor({ state: 'detached' });
    await saveScreenshot(phone, 'admin-accounts', { fullPage: true });
  });

  it('adds a user on the users screen and makes them a member of an account', async () => {
    const SUPERVISOR = { name: 'Chen Jing', email: 'chen.jing@example.com', password: 'supervisor-pass-3k9' };
    await phone.locator('[data-test="nav-admin-users"]').click();
    await phone.waitForURL(/\/admin\/users$/);
    await expectText(phone.locator('[data-test="user-row-name"]'), AGENT.name);
    await phone.locator('[data-test="add-user"]').click();
    const form = phone.getByRole('dialog', { name: 'Add a user' });
    await form.locator('#user-name').fill(SUPERVISOR.name);
    await form.locator('#user-email').fill(SUPERVISOR.email);
    await choose(phone, form.locator('[data-test="user-role-input"]'), 'Supervisor');
    await form.locator('#user-password').fill('short');
    await form.locator('[data-test="user-submit"]').click();
    await expectText(form.locator('.el-form-item__error'), 'At least 10 characters.');
    await form.locator('#user-password').fill(SUPERVISOR.password);
    await form.locator('[data-test="user-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    const row = phone.locator('[data-test="user-row"]', { hasText: SUPERVISOR.email });
    await expectText(row.locator('[data-test="user-row-name"]'), SUPERVISOR.name);

    // Members: the agent stays, the new supervisor joins.
    await phone.locator('[data-test="nav-admin-accounts"]').click();
    await phone
      .locator('[data-test="account-card"]', { hasText: ACCOUNT_NAME })
      .locator('[data-test="account-members"]')
      .click();
    const members = phone.getByRole('dialog', { name: `Members of ${ACCOUNT_NAME}` });
    await members.locator('label', { hasText: SUPERVISOR.name }).waitFor();
    for (const name of [AGENT.name, SUPERVISOR.name]) {
      const box = members.getByRole('checkbox', { name: new RegExp(name) });
      if (!(await box.isChecked())) await members.locator('label', { hasText: name }).click();
    }
    await members.locator('[data-test="members-save"]').click();
    await members.waitFor({ state: 'hidden' });

    const supervisor = new ApiClient(server.url);
    await supervisor.login(SUPERVISOR.email, SUPERVISOR.password);
    expect((await supervisor.call<Account[]>('GET', '/api/accounts')).map((a) => a.id)).toEqual([account.id]);
    const agentApi = new ApiClient(server.url);
    await agentApi.login(AGENT.email, AGENT.password);
    expect((await agentApi.call<Account[]>('GET', '/api/accounts')).map((a) => a.id)).toEqual([account.id]);
  });
});
