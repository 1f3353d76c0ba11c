import type { ApiErrorBody, AuditEntry, CannedResponse, Conversation, Message, Page } from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

type Answer = CannedResponse & ApiErrorBody;

/** Saved replies: global or per account, written by admins and supervisors, sent as text (real PostgreSQL, HTTP). */
describe('canned responses (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let admin: HttpClient;
  let manager: HttpClient;
  let supervisorA: HttpClient;
  let agentA: HttpClient;
  let agentB: HttpClient;
  let seq = 0;

  const login = async (role: 'admin' | 'manager' | 'supervisor' | 'agent', account?: MadeAccount) => {
    const u = await newUser(t.ds, { role });
    if (account) {
      const accounts = t.app.get(AccountsService);
      await accounts.setMembers(account.id, [...(await accounts.getMembers(account.id)).userIds, u.id]);
    }
    const c = new HttpClient(t.url);
    expect((await c.request('POST', '/api/auth/login', { email: u.email, password: u.password })).status).toBe(200);
    return c;
  };
  const create = (c: HttpClient, body: Record<string, unknown>) =>
    c.request<Answer>('POST', '/api/canned-responses', body);
  const list = async (c: HttpClient, query = '') =>
    (await c.request<CannedResponse[]>('GET', `/api/canned-responses${query}`)).body;
  const shortcuts = (items: CannedResponse[]) => items.map((x) => x.shortcut);
  const conversationOf = async (account: MadeAccount, openid: string) => {
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'a question',
      MsgId: `${6200000000000000000n + BigInt(++seq)}`,
    });
    expect(await (await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    const page = await admin.request<Page<Conversation>>('GET', `/api/conversations?accountId=${account.id}`);
    return page.body.items.find((c) => c.contact.openid === openid)!;
  };

  beforeAll(async () => {
    // Replies are queued for delivery: point the sender at a closed local port, never the internet.
    t = await startTestApp({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    admin = await login('admin');
    manager = await login('manager');
    supervisorA = await login('supervisor', a);
    agentA = await login('agent', a);
    agentB = await login('agent', b);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the global ones and those of the accounts the caller may see, never another account’s', async () => {
    const hours = await create(admin, { shortcut: 'hours', text: 'We are open 9-18.' });
    expect(hours.status).toBe(201);
    expect(hours.body).toMatchObject({ accountId: null, shortcut: 'hours', text: 'We are open 9-18.' });
    expect((await create(admin, { accountId: a.id, shortcut: 'refund', text: 'Refunds take 3 days.' })).status).toBe(
      201,
    );
    expect((await create(admin, { accountId: b.id, shortcut: '营业时间', text: '九点到六点' })).status).toBe(201);

    expect(shortcuts(await list(agentA))).toEqual(['hours', 'refund']);
    expect(shortcuts(await list(agentB))).toEqual(['hours', '营业时间']);
    expect(shortcuts(await list(agentB, `?accountId=${a.id}`))).toEqual(['hours']);
    expect(shortcuts(await list(agentA, `?accountId=${a.id}`))).toEqual(['hours', 'refund']);
    expect(shortcuts(await list(manager))).toEqual(['hours', 'refund', '营业时间']);
    expect(JSON.stringify(await list(agentB))).not.toContain(a.id);
    expect((await agentA.request<ApiErrorBody>('GET', '/api/canned-responses?accountId=x')).status).toBe(400);
  });

  it('checks the shortcut and text, and keeps shortcuts unique per scope whatever their case', async () => {
    const bad = async (body: Record<string, unknown>, field: string) => {
      const r = await create(admin, body);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('validation/failed');
      expect(Object.keys(r.body.fields ?? {})).toContain(field);
    };
    await bad({ shortcut: 'two words', text: 'x' }, 'shortcut');
    await bad({ shortcut: 'x'.repeat(33), text: 'x' }, 'shortcut');
    await bad({ shortcut: '', text: 'x' }, 'shortcut');
    await bad({ shortcut: 'ok', text: '' }, 'text');
    await bad({ shortcut: 'ok', text: '   ' }, 'text');
    await bad({ shortcut: 'ok', text: 'x'.repeat(2001) }, 'text');
    await bad({ shortcut: 'ok', text: 'x', accountId: 'not-a-uuid' }, 'accountId');
    await bad({ shortcut: 'ok', text: 'x', accountId: '00000000-0000-4000-8000-000000000000' }, 'accountId');
    expect((await create(admin, { shortcut: 'x'.repeat(32), text: 'y'.repeat(2000) })).status).toBe(201);
    expect((await create(admin, { shortcut: 'größe_2-b', text: 'Größen' })).status).toBe(201);

    expect((await create(admin, { shortcut: 'greeting', text: 'Hello!' })).status).toBe(201);
    const clash = await create(admin, { shortcut: 'GREETING', text: 'Hi' });
    expect(clash.status).toBe(400);
    expect(clash.body.fields?.shortcut).toBeDefined();
    // Another scope may use it; moving into a scope where it is taken is refused.
    const inA = await create(admin, { accountId: a.id, shortcut: 'greeting', text: 'Hello from A' });
    expect(inA.status).toBe(201);
    const move = await admin.request<Answer>('PATCH', `/api/canned-responses/${inA.body.id}`, { accountId: null });
    expect(move.status).toBe(400);
    expect(move.body.fields?.shortcut).toBeDefined();
  });

  it('lets admins and supervisors write them, a supervisor only globally or in the accounts they see', async () => {
    for (const c of [agentA, manager]) {
      expect((await create(c, { shortcut: 'nope', text: 'x' })).status).toBe(403);
    }
    const mine = await create(supervisorA, { accountId: a.id, shortcut: 'sup', text: 'From the supervisor' });
    expect(mine.status).toBe(201);
    expect((await create(supervisorA, { shortcut: 'sup-global', text: 'For everyone' })).status).toBe(201);
    const elsewhere = await create(supervisorA, { accountId: b.id, shortcut: 'sup', text: 'x' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.fields?.accountId).toBeDefined();

    const ofB = (await list(admin, `?accountId=${b.id}`)).find((x) => x.accountId === b.id)!;
    for (const [method, body] of [
      ['PATCH', { text: 'changed' }],
      ['DELETE', undefined],
    ] as const) {
      const r = await supervisorA.request<ApiErrorBody>(method, `/api/canned-responses/${ofB.id}`, body);
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('canned_responses/not_found');
    }
    const moveAway = await supervisorA.request<Answer>('PATCH', `/api/canned-responses/${mine.body.id}`, {
      accountId: b.id,
    });
    expect(moveAway.body.fields?.accountId).toBeDefined();

    const edited = await supervisorA.request<Answer>('PATCH', `/api/canned-responses/${mine.body.id}`, {
      shortcut: 'sup2',
      text: 'Edited',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: mine.body.id, accountId: a.id, shortcut: 'sup2', text: 'Edited' });
    expect(new Date(edited.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(mine.body.updatedAt).getTime());
    const global = (await list(supervisorA)).find((x) => x.shortcut === 'hours')!;
    expect(
      (await supervisorA.request('PATCH', `/api/canned-responses/${global.id}`, { text: 'Open 9-20.' })).status,
    ).toBe(200);
    expect((await agentA.request('PATCH', `/api/canned-responses/${global.id}`, { text: 'x' })).status).toBe(403);

    expect((await supervisorA.request('DELETE', `/api/canned-responses/${mine.body.id}`)).status).toBe(204);
    expect((await supervisorA.request('DELETE', `/api/canned-responses/${mine.body.id}`)).status).toBe(404);
    expect((await admin.request('DELETE', '/api/canned-responses/not-an-id')).status).toBe(404);
    expect(shortcuts(await list(agentA))).not.toContain('sup2');
  });

  it('keeps every one of concurrent edits of different fields, a concurrent scope move included', async () => {
    const supervisorOnlyA = await login('supervisor', a);
    for (let round = 0; round < 5; round++) {
      const made = await create(admin, { shortcut: `race-${round}`, text: 'Before' });
      expect(made.status).toBe(201);
      const path = `/api/canned-responses/${made.body.id}`;
      const results = await Promise.all([
        admin.request<Answer>('PATCH', path, { text: `Text ${round}` }),
        supervisorOnlyA.request<Answer>('PATCH', path, { shortcut: `raced-${round}` }),
        admin.request<Answer>('PATCH', path, { accountId: a.id }),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      const after = (await list(admin, `?accountId=${a.id}`)).find((x) => x.id === made.body.id);
      expect(after).toMatchObject({ accountId: a.id, shortcut: `raced-${round}`, text: `Text ${round}` });

      // Moved to an account the supervisor does not see while they edit it: either their edit came first
      // (and was kept), or it is answered as missing and changes nothing.
      const [edit, move] = await Promise.all([
        supervisorOnlyA.request<Answer>('PATCH', path, { text: `Supervisor ${round}` }),
        admin.request<Answer>('PATCH', path, { accountId: b.id }),
      ]);
      expect(move.status).toBe(200);
      const final = (await list(admin, `?accountId=${b.id}`)).find((x) => x.id === made.body.id);
      if (edit.status === 200) {
        expect(final).toMatchObject({ accountId: b.id, shortcut: `raced-${round}`, text: `Supervisor ${round}` });
      } else {
        expect([edit.status, edit.body.code]).toEqual([404, 'canned_responses/not_found']);
        expect(final).toMatchObject({ accountId: b.id, shortcut: `raced-${round}`, text: `Text ${round}` });
      }
    }
  });

  it('sends a canned response as text with its id in the payload, only if global or of the conversation’s account', async () => {
    const c = await conversationOf(a, 'oCanned');
    const refund = (await list(agentA)).find((x) => x.shortcut === 'refund')!;
    const send = (cannedResponseId: string, clientMessageId = `canned-${++seq}-${Date.now()}`) =>
      agentA.request<Message & ApiErrorBody>('POST', `/api/conversations/${c.id}/messages`, {
        type: 'canned',
        cannedResponseId,
        clientMessageId,
      });
    const sent = await send(refund.id, 'canned-idempotent-1');
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      direction: 'out',
      type: 'text',
      text: 'Refunds take 3 days.',
      payload: { cannedResponseId: refund.id },
      status: 'queued',
    });
    const jobs: { n: string }[] = await t.ds.query(
      `SELECT count(*) AS n FROM pgboss.job WHERE name = 'outbound.deliver' AND data->>'messageId' = $1`,
      [sent.body.id],
    );
    expect(jobs[0]?.n).toBe('1');
    const global = (await list(agentA)).find((x) => x.shortcut === 'hours')!;
    expect((await send(global.id)).body.text).toBe('Open 9-20.');

    // Another account's canned response, an unknown one: not found; a malformed id: a validation error.
    const ofB = (await list(admin, `?accountId=${b.id}`)).find((x) => x.accountId === b.id)!;
    const foreign = await admin.request<ApiErrorBody>('POST', `/api/conversations/${c.id}/messages`, {
      type: 'canned',
      cannedResponseId: ofB.id,
      clientMessageId: 'canned-foreign-1',
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('canned_responses/not_found');
    expect((await send('00000000-0000-4000-8000-000000000000')).body.code).toBe('canned_responses/not_found');
    expect((await send('nope')).body.fields?.cannedResponseId).toBeDefined();
    const outsider = await agentB.request<ApiErrorBody>('POST', `/api/conversations/${c.id}/messages`, {
      type: 'canned',
      cannedResponseId: global.id,
      clientMessageId: 'canned-outsider-1',
    });
    expect(outsider.body.code).toBe('conversations/not_found');

    // The same clientMessageId answers the message already queued, even once the canned response is gone.
    expect((await admin.request('DELETE', `/api/canned-responses/${refund.id}`)).status).toBe(204);
    const again = await send(refund.id, 'canned-idempotent-1');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(sent.body.id);
    const conv = await agentA.request<Conversation>('GET', `/api/conversations/${c.id}`);
    expect(conv.body.sendsLeft).toBe(3);
  });

  it('audits every write with the scope and shortcut', async () => {
    const made = (await create(supervisorA, { accountId: a.id, shortcut: 'audited', text: 'Audited reply' }))
      .body as CannedResponse;
    await supervisorA.request('PATCH', `/api/canned-responses/${made.id}`, { text: 'Audited reply, changed' });
    await supervisorA.request('DELETE', `/api/canned-responses/${made.id}`);
    const log = await admin.request<Page<AuditEntry>>(
      'GET',
      `/api/audit?targetType=canned_response&targetId=${made.id}`,
    );
    expect(log.body.items.map((e) => ({ action: e.action, details: e.details })).reverse()).toEqual([
      { action: 'canned_response.created', details: { accountId: a.id, shortcut: 'audited' } },
      { action: 'canned_response.changed', details: { accountId: a.id, shortcut: 'audited', fields: ['text'] } },
      { action: 'canned_response.deleted', details: { accountId: a.id, shortcut: 'audited' } },
    ]);
    expect(log.body.items.every((e) => e.actorId !== null)).toBe(true);
  });
});
