import type { ApiErrorBody, AuditEntry, Conversation, Label, Page } from '@inbox/shared';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { loginAs, type Browser } from '../../test/identity';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

describe('labels: CRUD, validation, roles, audit (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let admin: Browser;
  let supervisor: Browser;
  let manager: Browser;
  let agent: Browser;
  let agentUser: MadeUser;
  let supervisorUser: MadeUser;
  let n = 0;
  const unique = (prefix: string) => `${prefix} ${++n}${Date.now().toString(36)}`;
  const create = (c: Browser, body: Record<string, unknown>) =>
    c.request<Label & ApiErrorBody>('POST', '/api/labels', body);

  beforeAll(async () => {
    t = await startTestApp();
    agentUser = await newUser(t.ds, { role: 'agent' });
    supervisorUser = await newUser(t.ds, { role: 'supervisor' });
    admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
    supervisor = await loginAs(t.url, supervisorUser);
    manager = await loginAs(t.url, await newUser(t.ds, { role: 'manager' }));
    agent = await loginAs(t.url, agentUser);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates with the default or a given colour, lists for everyone, updates and deletes', async () => {
    const vip = await create(supervisor, { name: `  ${unique('VIP')} ` });
    expect(vip.status).toBe(201);
    expect(vip.body).toMatchObject({ name: vip.body.name.trim(), color: '#409eff' });
    const refund = await create(admin, { name: unique('Refund'), color: '#E6A23C' });
    expect(refund.body.color).toBe('#e6a23c');

    const listed = await agent.request<Label[]>('GET', '/api/labels');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(expect.arrayContaining([vip.body, refund.body]));

    // The colour is kept when not given; the name is always given.
    const renamed = await supervisor.request<Label>('PATCH', `/api/labels/${refund.body.id}`, {
      name: `${refund.body.name}!`,
    });
    expect(renamed.body).toEqual({ ...refund.body, name: `${refund.body.name}!` });
    const recoloured = await supervisor.request<Label>('PATCH', `/api/labels/${refund.body.id}`, {
      name: renamed.body.name,
      color: '#00aa00',
    });
    expect(recoloured.body).toEqual({ ...renamed.body, color: '#00aa00' });

    expect((await supervisor.request('DELETE', `/api/labels/${vip.body.id}`)).status).toBe(204);
    expect((await agent.request<Label[]>('GET', '/api/labels')).body.map((l) => l.id)).not.toContain(vip.body.id);
    const again = await supervisor.request<ApiErrorBody>('DELETE', `/api/labels/${vip.body.id}`);
    expect([again.status, again.body.code]).toEqual([404, 'labels/not_found']);
  });

  it('validates the name (1-40 after trimming) and the colour (#rrggbb)', async () => {
    for (const [body, field] of [
      [{ name: '' }, 'name'],
      [{ name: '  ' }, 'name'],
      [{ name: 'x'.repeat(41) }, 'name'],
      [{}, 'name'],
      [{ name: unique('C'), color: 'red' }, 'color'],
      [{ name: unique('C'), color: '#12345' }, 'color'],
      [{ name: unique('C'), color: '#1234567' }, 'color'],
      [{ name: unique('C'), color: '409eff' }, 'color'],
      [{ name: unique('C'), color: '#gggggg' }, 'color'],
    ] as const) {
      const r = await create(admin, body);
      expect([JSON.stringify(body), r.status, r.body.code, Object.keys(r.body.fields ?? {})]).toEqual([
        JSON.stringify(body),
        400,
        'validation/failed',
        [field],
      ]);
    }
    expect((await create(admin, { name: `${unique('L')}${'x'.repeat(40)}`.slice(0, 40) })).status).toBe(201);
  });

  it('answers 409 labels/name_taken on create and rename, also when requests race', async () => {
    const name = unique('Urgent');
    const first = (await create(admin, { name })).body;
    const dup = await create(supervisor, { name: ` ${name} `, color: '#000000' });
    expect([dup.status, dup.body.code]).toEqual([409, 'labels/name_taken']);

    const raced = unique('Raced');
    const results = await Promise.all(Array.from({ length: 5 }, () => create(admin, { name: raced })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);

    const other = (await create(admin, { name: unique('Other') })).body;
    const rename = await admin.request<ApiErrorBody>('PATCH', `/api/labels/${other.id}`, { name });
    expect([rename.status, rename.body.code]).toEqual([409, 'labels/name_taken']);
    const a = (await create(admin, { name: unique('A') })).body;
    const target = unique('Target');
    const renames = await Promise.all(
      [a, other].map((x) => admin.request<ApiErrorBody>('PATCH', `/api/labels/${x.id}`, { name: target })),
    );
    expect(renames.map((r) => r.status).sort()).toEqual([200, 409]);
    // Nothing changed on the refused one; its own name is not taken.
    expect((await admin.request('PATCH', `/api/labels/${first.id}`, { name })).status).toBe(200);
  });

  it('answers 404 labels/not_found for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const patch = await admin.request<ApiErrorBody>('PATCH', `/api/labels/${id}`, { name: 'x' });
      expect([patch.status, patch.body.code]).toEqual([404, 'labels/not_found']);
      const del = await admin.request<ApiErrorBody>('DELETE', `/api/labels/${id}`);
      expect([del.status, del.body.code]).toEqual([404, 'labels/not_found']);
    }
  });

  it('refuses writes to agents and managers (403 auth/forbidden)', async () => {
    const label = (await create(admin, { name: unique('Guarded') })).body;
    for (const who of [agent, manager]) {
      for (const [method, path, body] of [
        ['POST', '/api/labels', { name: unique('No') }],
        ['PATCH', `/api/labels/${label.id}`, { name: unique('No') }],
        ['DELETE', `/api/labels/${label.id}`, undefined],
      ] as const) {
        const r = await who.request<ApiErrorBody>(method, path, body);
        expect([method, r.status, r.body.code]).toEqual([method, 403, 'auth/forbidden']);
      }
    }
    expect((await agent.request<Label[]>('GET', '/api/labels')).body).toContainEqual(label);
    expect((await fetch(`${t.url}/api/labels`)).status).toBe(401);
  });

  it('deleting a label takes it off its conversations, with an event each', async () => {
    const account = await newAccount(t.app, 'plaintext');
    await t.app.get(AccountsService).setMembers(account.id, [agentUser.id]);
    const p = buildPush(account, {
      FromUserName: 'oLabelDelete',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'label me',
      MsgId: `${7200000000000000000n + BigInt(Date.now() % 1_000_000)}`,
    });
    expect(await (await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    const conversation = (await agent.request<Page<Conversation>>('GET', `/api/conversations?accountId=${account.id}`))
      .body.items[0]!;
    const keep = (await create(admin, { name: unique('Keep') })).body;
    const doomed = (await create(admin, { name: unique('Doomed') })).body;
    const set = await agent.request<Conversation>('PUT', `/api/conversations/${conversation.id}/labels`, {
      labelIds: [doomed.id, keep.id],
    });
    expect(set.body.labelIds).toEqual([doomed.id, keep.id]);

    expect((await admin.request('DELETE', `/api/labels/${doomed.id}`)).status).toBe(204);
    const after = await agent.request<Conversation>('GET', `/api/conversations/${conversation.id}`);
    expect(after.body.labelIds).toEqual([keep.id]);
    expect(new Date(after.body.updatedAt).getTime()).toBeGreaterThan(new Date(set.body.updatedAt).getTime());
    const events: { data: Record<string, unknown> }[] = await t.ds.query(
      `SELECT data FROM conversation_events WHERE conversation_id = $1 AND type = 'labels_changed' ORDER BY seq`,
      [conversation.id],
    );
    expect(events.map((e) => e.data)).toEqual([
      { added: [doomed.id, keep.id], removed: [] },
      { added: [], removed: [doomed.id] },
    ]);
  });

  it('audits every write', async () => {
    const name = unique('Audited');
    const label = (await create(supervisor, { name })).body;
    await supervisor.request('PATCH', `/api/labels/${label.id}`, { name, color: '#ff0000' });
    await supervisor.request('PATCH', `/api/labels/${label.id}`, { name }); // no change, no entry
    await supervisor.request('DELETE', `/api/labels/${label.id}`);
    const log = await admin.request<Page<AuditEntry>>('GET', `/api/audit?targetType=label&targetId=${label.id}`);
    expect(log.body.items.map((e) => ({ action: e.action, actorId: e.actorId, details: e.details })).reverse()).toEqual(
      [
        { action: 'label.created', actorId: supervisorUser.id, details: { name, color: '#409eff' } },
        {
          action: 'label.changed',
          actorId: supervisorUser.id,
          details: { from: { name, color: '#409eff' }, to: { name, color: '#ff0000' } },
        },
        { action: 'label.deleted', actorId: supervisorUser.id, details: { name, conversations: 0 } },
      ],
    );
  });
});
