import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import type {
  Account,
  Conversation,
  Label,
  Message,
  Page as ApiPage,
  SandboxEventRequest,
  SandboxInbox,
  SandboxMessageRequest,
  SandboxPushResult,
  User,
} from '@inbox/shared';
import { launchChromium, saveScreenshot, waitUntil, type LaunchedBrowser } from '../support/browser';
import { createTestDatabase } from '../support/db';
import { ApiClient, blur, choose, escapeRegExp, expectText } from './helpers';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * The agent console in a real Chromium against the real built server, with the server's own sandbox as
 * WeChat (SANDBOX=1, no WECHAT_API_BASE: replies go to its /sandbox/wechat): an agent logs in, a customer
 * of a safe-mode Official Account writes through the sandbox (signed + encrypted callbacks, as WeChat
 * sends them), the message shows up live, the agent replies and the sandbox customer receives it, the
 * agent switches language, resolves; then the server restarts and the console catches up on what arrived
 * while it was cut off.
 */

const ADMIN = { email: 'owner@example.com', password: 'correct-horse-battery' };
const AGENT = { email: 'li.na@example.com', password: 'agent-pass-7f3k2', name: 'Li Na' };
const ACCOUNT_NAME = '星巴克会员服务';
const OPENID = `oCustomer${randomBytes(6).toString('hex')}`;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A real 1×1 PNG, as an agent's screenshot would be. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');

describe('agent console (Chromium)', () => {
  let db: { url: string; drop(): Promise<void> };
  let server: ServerProcess;
  let serverEnv: Record<string, string>;
  let admin: ApiClient;
  let account: Account;
  let label: Label;
  let browser: LaunchedBrowser;
  let page: Page;
  let conversationId: string;
  const REPLY = '您好！订单 #1024 已于今天上午发货，顺丰单号 SF1234567890。';

  /** The sandbox customer's own calls: WeChat signs, encrypts and delivers them to the callback URL. */
  const customerPath = () => `/api/sandbox/accounts/${account.id}/customers/${OPENID}`;
  async function customerSends(body: SandboxMessageRequest): Promise<void> {
    const push = await admin.call<SandboxPushResult>('POST', `${customerPath()}/messages`, body);
    expect(push.delivered).toBe(true);
  }
  async function customerDoes(body: SandboxEventRequest): Promise<void> {
    const push = await admin.call<SandboxPushResult>('POST', `${customerPath()}/events`, body);
    expect(push.delivered).toBe(true);
  }
  const text = (content: string) => customerSends({ type: 'text', text: content });
  /** What the customer's phone received through WeChat's customer-service API. */
  const received = async () =>
    (await admin.call<SandboxInbox>('GET', `${customerPath()}/inbox`)).items.flatMap((i) =>
      i.kind === 'received' ? [i.text] : [],
    );

  const item = (hasText: string) => page.locator('[data-test="conversation-item"]', { hasText });
  const threadMessage = (hasText: string) => page.locator('[data-test="thread"] [data-test="message"]', { hasText });
  const messagesOf = (id: string) => admin.call<ApiPage<Message>>('GET', `/api/conversations/${id}/messages`);

  beforeAll(async () => {
    db = await createTestDatabase();
    serverEnv = {
      DATABASE_URL: db.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      APP_SECRET_KEY: hex(32), // the same key after the restart: the account's secrets stay readable
      // The built-in WeChat; without WECHAT_API_BASE the server sends to its own /sandbox/wechat.
      SANDBOX: '1',
    };
    server = await startServerProcess(serverEnv);

    admin = new ApiClient(server.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const agent = await admin.call<User>('POST', '/api/users', { ...AGENT, role: 'agent' });
    const secrets = { token: alnum(16), encodingAesKey: alnum(43) };
    account = await admin.call<Account>('POST', '/api/accounts', {
      kind: 'wechat_oa',
      name: ACCOUNT_NAME,
      appId: `wx${hex(8)}`,
      appSecret: alnum(32),
      ...secrets,
      mode: 'safe',
      originalId: `gh_${hex(6)}`,
    });
    await admin.call('PUT', `/api/accounts/${account.id}/members`, { userIds: [agent.id] });
    // The sandbox follows the linked accounts: a customer who does not follow yet (they will, by QR code).
    await admin.call('POST', `/api/sandbox/accounts/${account.id}/customers`, {
      openid: OPENID,
      displayName: '王芳',
      subscribed: false,
    });

    // A label exists before the agent signs in (the console loads labels with the inbox).
    label = await admin.call<Label>('POST', '/api/labels', { name: '加急', color: '#e53935' });

    // A Chinese browser: the console starts in Simplified Chinese.
    browser = await launchChromium({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' });
    page = browser.page;
  }, 120000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await db?.drop();
  });

  it('signs the agent in, in Chinese for a Chinese browser', async () => {
    await page.goto(server.url);
    await page.waitForURL(/\/login/);
    await page.locator('#login-email').fill(AGENT.email);
    await page.locator('#login-password').fill(AGENT.password);
    await page.locator('[data-test="login-submit"]').click();
    await page.locator('[data-test="view-all"]').click();
    await page.waitForURL(/view=all/);
    await expectText(page.locator('[data-test="view-all"]'), '全部');
    await page.locator('[data-test="conversation-list-empty"]').waitFor();
    await page.locator('[data-test="account-views"]').getByText(ACCOUNT_NAME).waitFor();
  });

  it('shows a customer message live in the list and the thread, every message type rendered', async () => {
    await customerDoes({ event: 'subscribe', eventKey: 'spring2025' });
    await text('你好，请问订单 #1024 什么时候发货？详情见 https://example.com/orders/1024');
    const row = item('你好，请问订单 #1024 什么时候发货？');
    await row.waitFor();
    await expectText(row.locator('[data-test="account-badge"]'), ACCOUNT_NAME);
    await row.locator('[data-test="unread-dot"]').waitFor();
    conversationId = (await row.getAttribute('data-id')) ?? '';
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    // The sidebar's figures follow live: one open, unassigned conversation now.
    await expectText(page.locator('[data-test="view-all"] [data-test="view-count"]'), '1');
    await expectText(page.locator('[data-test="view-unassigned"] [data-test="view-count"]'), '1');

    await row.click();
    await page.waitForURL(new RegExp(`c=${conversationId}`));
    await threadMessage('你好，请问订单 #1024').waitFor();
    await expectText(page.locator('[data-test="message-event"]'), '通过二维码场景 spring2025 关注');
    const link = threadMessage('你好，请问订单').locator('a');
    expect(await link.getAttribute('href')).toBe('https://example.com/orders/1024');
    // Opening the conversation marks it read.
    await row.locator('[data-test="unread-dot"]').waitFor({ state: 'detached' });

    // More types arrive while the thread is open.
    await customerSends({ type: 'image' });
    await customerSends({
      type: 'location',
      latitude: 31.2304,
      longitude: 121.4737,
      scale: 15,
      label: '上海市黄浦区南京东路',
    });
    await customerSends({
      type: 'link',
      title: '我的订单截图',
      description: '订单 #1024 的详情页',
      url: 'https://example.com/orders/1024/detail',
    });
    await customerSends({ type: 'voice' });
    // The picture comes from this same server (the sandbox's WeChat media, or the server's stored copy of
    // it), so the CSP lets it load: a real PNG the sandbox made. The link opens it.
    const imageLink = page.locator('[data-test="message-image"] [data-test="message-image-link"]');
    await imageLink.waitFor();
    expect(await imageLink.getAttribute('href')).toMatch(new RegExp(`^${escapeRegExp(server.url)}/`));
    await page.locator('[data-test="message-image"] img').waitFor();
    await expectText(page.locator('[data-test="message-location"]'), '上海市黄浦区南京东路');
    await expectText(page.locator('[data-test="message-location"]'), '31.2304');
    await expectText(page.locator('[data-test="message-link"]'), '订单 #1024 的详情页');
    await expectText(page.locator('[data-test="message-voice"]'), 'amr');
    // Read while open: no unread dot comes back.
    expect(await page.locator('[data-test="unread-dot"]').count()).toBe(0);
    await expectText(page.locator('[data-test="customer-openid"]'), OPENID);
  });

  it('replies from the composer and shows the delivery status the API reports', async () => {
    await expectText(page.locator('[data-test="composer-send"]'), `通过 ${ACCOUNT_NAME} 发送`);
    await expectText(page.locator('[data-test="composer-sends-left"]'), '还可回复 5 条');
    const box = page.locator('[data-test="composer"] textarea');
    await box.fill(REPLY);
    await box.press('Enter');
    const outgoing = page.locator('[data-test="message"][data-direction="out"]', { hasText: REPLY });
    await outgoing.waitFor();
    await waitUntil('the draft to be cleared', async () => ((await box.inputValue()) === '' ? true : undefined));
    await expectText(page.locator('[data-test="composer-sends-left"]'), '还可回复 4 条');

    const uiStatus = () => outgoing.locator('[data-test="message-status"]').getAttribute('data-status');
    const apiStatus = async () => (await messagesOf(conversationId)).items.find((m) => m.text === REPLY)?.status;
    // The console shows what the server says (queued now; sent or failed once delivery has run).
    const shows = (final: boolean) => async () => {
      const [api, ui] = [await apiStatus(), await uiStatus()];
      const done = !final || api === 'sent' || api === 'failed';
      return api && api === ui && done ? api : undefined;
    };
    // It is queued at once; delivery runs against the sandbox and ends sent, and the console must show
    // exactly what the server says.
    const shown = await waitUntil('the console to show the final delivery status', shows(true), 30000);
    expect(shown).toBe('sent');
    expect(
      await waitUntil('the customer to receive the reply', async () =>
        (await received()).includes(REPLY) ? true : undefined,
      ),
    ).toBe(true);
    // Still one open conversation after the reply (the sidebar asked the server again after these events).
    await expectText(page.locator('[data-test="view-all"] [data-test="view-count"]'), '1');
    await saveScreenshot(page, 'inbox-zh-CN');
  });

  it('switches the language to English and back', async () => {
    await page.locator('.language-switch').getByText('English', { exact: true }).click();
    await expectText(page.locator('[data-test="view-all"]'), 'All');
    await page.locator('.language-switch .is-active', { hasText: 'English' }).waitFor();
    await expectText(page.locator('[data-test="composer-send"]'), `Send via ${ACCOUNT_NAME}`);
    await expectText(page.locator('[data-test="message-event"]'), 'Followed via QR scene spring2025');
    await blur(page);
    // The open conversation is read: the account's unread figure (the server's) is gone once it asked again.
    await page.locator('[data-test="account-views"] [data-test="account-unread"]').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'inbox');

    await page.locator('.language-switch').getByText('中文', { exact: true }).click();
    await expectText(page.locator('[data-test="view-all"]'), '全部');
    await page.locator('.language-switch .is-active', { hasText: '中文' }).waitFor();
    await expectText(page.locator('[data-test="composer-send"]'), `通过 ${ACCOUNT_NAME} 发送`);
  });

  it('has keyboard shortcuts: ? shows them, / searches, r goes to the reply box', async () => {
    await blur(page);
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: '键盘快捷键' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await blur(page);
    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.id === 'conversation-search');
    await blur(page);
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.activeElement?.closest('[data-test="composer"]') !== null);
    expect(await page.locator('[data-test="composer"] textarea').inputValue()).toBe(''); // the "r" was not typed
  });

  it('collapses the customer panel into a drawer on a tablet', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.locator('[data-test="customer-panel"]').waitFor({ state: 'detached' });
    await page.locator('[data-test="show-customer"]').click();
    await expectText(page.locator('[data-test="customer-openid"]'), OPENID);
    await saveScreenshot(page, 'inbox-tablet');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator('[data-test="customer-panel"]').waitFor();
  });

  it('resolves the conversation', async () => {
    await page.locator('[data-test="action-resolve"]').click();
    await page.locator('[data-test="thread-status"][data-status="resolved"]').waitFor();
    await expectText(item(REPLY.slice(0, 10)).locator('[data-test="conversation-status"]'), '已解决');
    const c = await admin.call<Conversation>('GET', `/api/conversations/${conversationId}`);
    expect(c.status).toBe('resolved');
    await page.locator('[data-test="action-reopen"]').waitFor();
  });

  it('reconnects after a server restart and catches up on what arrived meanwhile, once', async () => {
    const banner = page.locator('[data-test="offline-banner"]');
    expect(await banner.count()).toBe(0);
    const url = server.url;
    // Cut the console off the network, then restart the server on the same port and database.
    await browser.context.setOffline(true);
    await server.stop();
    await banner.waitFor();
    server = await startServerProcess({ ...serverEnv, PORT: new URL(url).port });
    expect(server.url).toBe(url);

    const LATE = '刚才忘了说：请帮我改一下收货地址。';
    await text(LATE); // stored while the console is disconnected: no socket event can reach it
    expect(await banner.isVisible()).toBe(true);
    expect(await item(LATE).count()).toBe(0);

    await browser.context.setOffline(false);
    await banner.waitFor({ state: 'detached' });
    // The resolved conversation stays resolved; the customer's new message opens a new one.
    const row = item(LATE);
    await row.waitFor();
    await row.click();
    await threadMessage(LATE).waitFor();
    expect(await threadMessage(LATE).count()).toBe(1);
    expect(await item(LATE).count()).toBe(1);
    await page.locator('[data-test="customer-other-conversations"]').waitFor();

    // Live again: the next message arrives over the socket.
    await text('地址是：上海市静安区南京西路 1266 号。');
    await threadMessage('南京西路 1266 号').waitFor();

    // j / k move through the list.
    await blur(page);
    const selected = () => new URL(page.url()).searchParams.get('c');
    const first = selected();
    await page.keyboard.press('j');
    await waitUntil('j to select the next conversation', async () => (selected() !== first ? true : undefined));
    expect(selected()).toBe(conversationId);
    await page.keyboard.press('k');
    await waitUntil('k to go back', async () => (selected() === first ? true : undefined));
  });

  it('replies with an image: uploaded, shown at once, and sent to the customer through the account', async () => {
    const id = new URL(page.url()).searchParams.get('c') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await page.locator('[data-test="composer-image-input"]').setInputFiles({
      name: '截图.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    const preview = page.locator('[data-test="composer-image-preview"]');
    await expectText(preview, '截图.png');
    await page.locator('[data-test="composer-image-send"]').click();
    await preview.waitFor({ state: 'detached' });

    const outgoing = page.locator(
      '[data-test="thread"] [data-test="message"][data-direction="out"][data-type="image"]',
    );
    await outgoing.waitFor();
    // The picture comes from this server (the upload), so the CSP lets it load.
    const href = await outgoing.locator('[data-test="message-image-link"]').getAttribute('href');
    expect(href).toMatch(new RegExp(`^${escapeRegExp(server.url)}/`));
    await outgoing.locator('img').waitFor();

    // Delivered through the customer's own account: the sandbox phone of this account's customer got an image.
    const receivedImage = await waitUntil('the customer to receive the image', async () => {
      const inbox = await admin.call<SandboxInbox>('GET', `${customerPath()}/inbox`);
      return inbox.items.find((i) => i.kind === 'received' && i.msgtype === 'image');
    });
    expect(receivedImage).toMatchObject({ kind: 'received', msgtype: 'image' });
    const sent = await waitUntil('the console and the API to agree the image was sent', async () => {
      const api = (await messagesOf(id)).items.find((m) => m.type === 'image' && m.direction === 'out');
      const ui = await outgoing.locator('[data-test="message-status"]').getAttribute('data-status');
      return api?.status === 'sent' && ui === 'sent' ? api : undefined;
    });
    expect(sent.accountId).toBe(account.id);
  });

  it('puts a label on the conversation, and the label filter then shows only it', async () => {
    const id = new URL(page.url()).searchParams.get('c') ?? '';
    const items = page.locator('[data-test="conversation-item"]');
    expect(await items.count()).toBe(2); // the resolved conversation and the new one

    await choose(page, page.locator('[data-test="conversation-labels"]'), label.name);
    await page.keyboard.press('Escape');
    await waitUntil('the label to be saved', async () => {
      const c = await admin.call<Conversation>('GET', `/api/conversations/${id}`);
      return c.labelIds.includes(label.id) ? true : undefined;
    });
    await expectText(page.locator(`[data-test="conversation-item"][data-id="${id}"] [data-test="label-tag"]`), '加急');
    await expectText(page.locator('[data-test="thread"] header [data-test="label-tag"]'), '加急');
    // The sidebar counts open conversations with the label (from the server, refreshed after the event).
    await expectText(page.locator(`[data-test="sidebar-label"][data-id="${label.id}"]`), '1');

    await page.locator('[data-test="label-filter"]').selectOption(label.id);
    await page.waitForURL(new RegExp(`label=${label.id}`));
    const onlyLabelled = async () =>
      (await items.count()) === 1 && (await items.first().getAttribute('data-id')) === id ? true : undefined;
    await waitUntil('the list to show only the labelled conversation', onlyLabelled);
    await saveScreenshot(page, 'inbox-label-filter');

    // Clearing the filter brings the other conversation back.
    await page.locator('[data-test="label-filter"]').selectOption('');
    await waitUntil('both conversations to show again', async () => ((await items.count()) === 2 ? true : undefined));
  });
});
