import type { ApiErrorBody, Conversation, Page } from '@inbox/shared';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { loginAs, type Browser } from '../../test/identity';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

/**
 * Ids and cursors that look right to a loose check but that PostgreSQL cannot read (36 characters of hex digits
 * and dashes, a number past `bigint`, a year it cannot hold) are answered 404 or 400, never 500 (real PostgreSQL,
 * HTTP).
 */
describe('malformed ids and cursors (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let agent: Browser;
  let conversationId: string;
  const uuid = '00000000-0000-4000-8000-000000000000';
  const lookalikes = ['a'.repeat(36), '-'.repeat(36), 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaa-', `${'0'.repeat(35)}-`];
  const cursor = (s: string) => Buffer.from(s).toString('base64url');

  beforeAll(async () => {
    // Replies are queued for delivery: point the sender at a closed local port, never the internet.
    t = await startTestApp({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
    const account = await newAccount(t.app, 'plaintext');
    const user = await newUser(t.ds, { role: 'agent' });
    await t.app.get(AccountsService).setMembers(account.id, [user.id]);
    agent = await loginAs(t.url, user);
    const p = buildPush(account, {
      FromUserName: 'oMalformed',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'hello',
      MsgId: '7600000000000000001',
    });
    expect(await (await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    conversationId = (await agent.request<Page<Conversation>>('GET', '/api/conversations')).body.items[0]!.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 404 conversations/not_found for a conversation id of 36 hex digits and dashes that is no UUID', async () => {
    for (const id of lookalikes) {
      for (const [method, suffix, body] of [
        ['GET', '', undefined],
        ['PATCH', '', { status: 'open' }],
        ['GET', '/messages', undefined],
        ['POST', '/messages', { type: 'text', text: 'hi', clientMessageId: 'malformed-1' }],
        ['POST', '/notes', { text: 'note' }],
        ['PUT', '/assignee', { userId: null }],
        ['PUT', '/team', { teamId: null }],
        ['PUT', '/labels', { labelIds: [] }],
        ['POST', '/read', undefined],
      ] as const) {
        const r = await agent.request<ApiErrorBody>(method, `/api/conversations/${id}${suffix}`, body);
        expect([id, method, suffix, r.status, r.body.code]).toEqual([
          id,
          method,
          suffix,
          404,
          'conversations/not_found',
        ]);
      }
    }
  });

  it('answers 400 for an assignee filter of 36 hex digits and dashes that is no UUID', async () => {
    for (const assignee of lookalikes) {
      const r = await agent.request<ApiErrorBody>('GET', `/api/conversations?assignee=${assignee}`);
      expect([assignee, r.status, r.body.code, Object.keys(r.body.fields ?? {})]).toEqual([
        assignee,
        400,
        'validation/failed',
        ['assignee'],
      ]);
    }
    // A user id, in any case, still filters.
    expect((await agent.request('GET', `/api/conversations?assignee=${uuid.toUpperCase()}`)).status).toBe(200);
  });

  it('answers 400 validation/failed for a crafted list cursor', async () => {
    for (const crafted of [
      ...lookalikes.map((id) => `2024-01-01T00:00:00.000Z|${id}`),
      `-271821-04-20T00:00:00.000Z|${uuid}`, // a date JavaScript holds and PostgreSQL does not
      `+275760-09-13T00:00:00.000Z|${uuid}`,
      `not a date|${uuid}`,
      uuid,
    ]) {
      for (const sort of ['last_activity', 'waiting']) {
        const r = await agent.request<ApiErrorBody>('GET', `/api/conversations?sort=${sort}&cursor=${cursor(crafted)}`);
        expect([crafted, sort, r.status, r.body.code, Object.keys(r.body.fields ?? {})]).toEqual([
          crafted,
          sort,
          400,
          'validation/failed',
          ['cursor'],
        ]);
      }
    }
    // A well-formed cursor still pages.
    const ok = await agent.request('GET', `/api/conversations?cursor=${cursor(`2024-01-01T00:00:00.000Z|${uuid}`)}`);
    expect(ok.status).toBe(200);
  });

  it('answers 400 for a message cursor or a sync cursor past bigint', async () => {
    const messages = await agent.request<ApiErrorBody>(
      'GET',
      `/api/conversations/${conversationId}/messages?cursor=9223372036854775808`,
    );
    expect([messages.status, messages.body.code, Object.keys(messages.body.fields ?? {})]).toEqual([
      400,
      'validation/failed',
      ['cursor'],
    ]);
    const largest = await agent.request<Page<unknown>>(
      'GET',
      `/api/conversations/${conversationId}/messages?cursor=9223372036854775807`,
    );
    expect([largest.status, largest.body.items]).toEqual([200, []]);
    for (const since of ['9223372036854775808', '99999999999999999999']) {
      const r = await agent.request<ApiErrorBody>('GET', `/api/sync?since=${since}`);
      expect([since, r.status, r.body.code, Object.keys(r.body.fields ?? {})]).toEqual([
        since,
        400,
        'validation/failed',
        ['since'],
      ]);
    }
    expect((await agent.request('GET', '/api/sync?since=9223372036854775807')).status).toBe(200);
  });

  it('answers 404 for a session id of 36 hex digits and dashes that is no UUID', async () => {
    for (const id of lookalikes) {
      const r = await agent.request<ApiErrorBody>('DELETE', `/api/auth/sessions/${id}`);
      expect([id, r.status, r.body.code]).toEqual([id, 404, 'sessions/not_found']);
    }
  });

  it('answers a WeChat callback for an account id of 36 hex digits and dashes as for an unknown account', async () => {
    const unknown = await fetch(`${t.url}/webhooks/wechat/${uuid}?signature=x&timestamp=1&nonce=1&echostr=1`);
    for (const id of lookalikes) {
      const r = await fetch(`${t.url}/webhooks/wechat/${id}?signature=x&timestamp=1&nonce=1&echostr=1`);
      expect([id, r.status]).toEqual([id, unknown.status]);
      expect(r.status).toBeLessThan(500);
    }
  });
});
