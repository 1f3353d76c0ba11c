import type { ApiErrorBody, AuditEntry, Conversation, Page, Team } from '@inbox/shared';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { loginAs, type Browser } from '../../test/identity';
import { connectSocket } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

describe('teams: CRUD, members, validation, roles, audit (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let admin: Browser;
  let supervisor: Browser;
  let manager: Browser;
  let agent: Browser;
  let agentUser: MadeUser;
  let supervisorUser: MadeUser;
  let n = 0;
  const unique = (prefix: string) => `${prefix} ${++n} ${Date.now().toString(36)}`;
  const create = (c: Browser, name: string) => c.request<Team & ApiErrorBody>('POST', '/api/teams', { name });

  beforeAll(async () => {
    t = await startTestApp();
    agentUser = await newUser(t.ds, { role: 'agent' });
    supervisorUser = await newUser(t.ds, { role: 'supervisor' });
    admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
    supervisor = await loginAs(t.url, supervisorUser);
    manager = await loginAs(t.url, await newUser(t.ds, { role: 'manager' }));
    agent = await loginAs(t.url, agentUser);
    // The supervisor and the agent share an account: the agent is the supervisor's colleague.
    const shared = await newAccount(t.app, 'plaintext');
    await t.app.get(AccountsService).setMembers(shared.id, [supervisorUser.id, agentUser.id]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates (name trimmed), lists for everyone signed in, renames and deletes', async () => {
    const name = unique('Pre-sales');
    const created = await create(supervisor, `  ${name}  `);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, memberIds: [] });
    expect(new Date(created.body.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const listed = await agent.request<Team[]>('GET', '/api/teams');
    expect(listed.status).toBe(200);
    expect(listed.body.find((x) => x.id === created.body.id)).toEqual(created.body);

    const renamed = await admin.request<Team>('PATCH', `/api/teams/${created.body.id}`, { name: `${name} (new)` });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: `${name} (new)` });
    expect(new Date(renamed.body.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(created.body.updatedAt).getTime(),
    );

    expect((await supervisor.request('DELETE', `/api/teams/${created.body.id}`)).status).toBe(204);
    expect((await agent.request<Team[]>('GET', '/api/teams')).body.map((x) => x.id)).not.toContain(created.body.id);
    const again = await supervisor.request<ApiErrorBody>('DELETE', `/api/teams/${created.body.id}`);
    expect([again.status, again.body.code]).toEqual([404, 'teams/not_found']);
  });

  it('validates the name: 1-60 characters after trimming', async () => {
    for (const bad of ['', '   ', 'x'.repeat(61), 42, null]) {
      const r = await create(admin, bad as string);
      expect([r.status, r.body.code]).toEqual([400, 'validation/failed']);
      expect(Object.keys(r.body.fields ?? {})).toEqual(['name']);
    }
    const longest = `${unique('L')}${'x'.repeat(60)}`.slice(0, 60);
    expect((await create(admin, longest)).status).toBe(201);
    const extra = await admin.request<ApiErrorBody>('POST', '/api/teams', { name: unique('T'), color: 'red' });
    expect(extra.status).toBe(400);
  });

  it('answers 409 teams/name_taken for a taken name, also when two requests race for it', async () => {
    const name = unique('Support');
    expect((await create(admin, name)).status).toBe(201);
    const dup = await create(supervisor, ` ${name}`);
    expect([dup.status, dup.body.code]).toEqual([409, 'teams/name_taken']);

    const raced = unique('Raced');
    const results = await Promise.all(Array.from({ length: 6 }, () => create(admin, raced)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'teams/name_taken')).toBe(true);

    // Renames race for a name through the unique index (no ON CONFLICT there).
    const a = (await create(admin, unique('A'))).body;
    const b = (await create(admin, unique('B'))).body;
    const target = unique('Target');
    const renames = await Promise.all(
      [a, b].map((x) => admin.request<ApiErrorBody>('PATCH', `/api/teams/${x.id}`, { name: target })),
    );
    expect(renames.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(renames.find((r) => r.status === 409)?.body.code).toBe('teams/name_taken');
    const taken = await admin.request<ApiErrorBody>('PATCH', `/api/teams/${a.id}`, { name });
    expect([taken.status, taken.body.code]).toEqual([409, 'teams/name_taken']);
    // Its own name is not "taken".
    const current = (await admin.request<Team[]>('GET', '/api/teams')).body.find((x) => x.id === a.id)!;
    const same = await admin.request<Team>('PATCH', `/api/teams/${a.id}`, { name: current.name });
    expect([same.status, same.body.updatedAt]).toEqual([200, current.updatedAt]);
  });

  it('answers 404 teams/not_found for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      for (const [method, path, body] of [
        ['PATCH', `/api/teams/${id}`, { name: 'x' }],
        ['DELETE', `/api/teams/${id}`, undefined],
        ['PUT', `/api/teams/${id}/members`, { userIds: [] }],
      ] as const) {
        const r = await admin.request<ApiErrorBody>(method, path, body);
        expect([method, r.status, r.body.code]).toEqual([method, 404, 'teams/not_found']);
      }
    }
  });

  it('sets the whole member list; members must be existing, active users (admin)', async () => {
    const team = (await create(admin, unique('Members'))).body;
    const other = await newUser(t.ds, { role: 'agent' });
    const disabled = await newUser(t.ds, { role: 'agent', disabled: true });
    const set = (userIds: unknown) =>
      admin.request<Team & ApiErrorBody>('PUT', `/api/teams/${team.id}/members`, { userIds });

    const first = await set([agentUser.id, supervisorUser.id, agentUser.id.toUpperCase()]);
    expect(first.status).toBe(200);
    expect(first.body.memberIds).toEqual([agentUser.id, supervisorUser.id].sort());

    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [input, bad] of [
      [[disabled.id], [disabled.id]],
      [[unknown], [unknown]],
      [
        [other.id, disabled.id, unknown],
        [disabled.id, unknown],
      ],
    ]) {
      const r = await set(input);
      expect([r.status, r.body.code]).toEqual([400, 'validation/failed']);
      expect(r.body.fields?.userIds).toEqual(bad!.map((id) => `${id} is not an active user`));
    }
    for (const bad of [['nope'], 'x', undefined, Array.from({ length: 1001 }, () => other.id)]) {
      const r = await set(bad);
      expect([r.status, Object.keys(r.body.fields ?? {})]).toEqual([400, ['userIds']]);
    }
    // Nothing was written by the refused calls.
    expect((await agent.request<Team[]>('GET', '/api/teams')).body.find((x) => x.id === team.id)?.memberIds).toEqual(
      [agentUser.id, supervisorUser.id].sort(),
    );

    const second = await set([other.id, agentUser.id]);
    expect(second.body.memberIds).toEqual([other.id, agentUser.id].sort());
    expect((await set([])).body.memberIds).toEqual([]);
  });

  it('refuses writes to agents and managers (403 auth/forbidden), reads are for everyone signed in', async () => {
    const team = (await create(admin, unique('Guarded'))).body;
    for (const who of [agent, manager]) {
      for (const [method, path, body] of [
        ['POST', '/api/teams', { name: unique('No') }],
        ['PATCH', `/api/teams/${team.id}`, { name: unique('No') }],
        ['DELETE', `/api/teams/${team.id}`, undefined],
        ['PUT', `/api/teams/${team.id}/members`, { userIds: [] }],
      ] as const) {
        const r = await who.request<ApiErrorBody>(method, path, body);
        expect([method, r.status, r.body.code]).toEqual([method, 403, 'auth/forbidden']);
      }
      expect((await who.request('GET', '/api/teams')).status).toBe(200);
    }
    expect((await agent.request<Team[]>('GET', '/api/teams')).body.find((x) => x.id === team.id)?.name).toBe(team.name);
    const anonymous = await fetch(`${t.url}/api/teams`);
    expect(anonymous.status).toBe(401);
  });

  it('routes conversations of a deleted team to no team, with an event and a live update', async () => {
    const account = await newAccount(t.app, 'safe');
    await t.app.get(AccountsService).setMembers(account.id, [agentUser.id]);
    const p = buildPush(account, {
      FromUserName: 'oTeamDelete',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'hello team',
      MsgId: `${7100000000000000000n + BigInt(Date.now() % 1_000_000)}`,
    });
    expect(await (await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    const list = await agent.request<Page<Conversation>>('GET', `/api/conversations?accountId=${account.id}`);
    const conversation = list.body.items[0]!;
    const team = (await create(admin, unique('Doomed'))).body;
    const routed = await agent.request<Conversation>('PUT', `/api/conversations/${conversation.id}/team`, {
      teamId: team.id,
    });
    expect(routed.body.teamId).toBe(team.id);

    const socket = await connectSocket(t.url, agent.cookie);
    try {
      expect((await admin.request('DELETE', `/api/teams/${team.id}`)).status).toBe(204);
      await socket.waitFor((log) =>
        log.some(
          (e) =>
            e.event === 'conversation.updated' &&
            (e.payload as { conversation: Conversation }).conversation.id === conversation.id &&
            (e.payload as { conversation: Conversation }).conversation.teamId === null,
        ),
      );
    } finally {
      socket.socket.close();
    }
    const after = await agent.request<Conversation>('GET', `/api/conversations/${conversation.id}`);
    expect(after.body.teamId).toBeNull();
    const events: { type: string; data: Record<string, unknown> }[] = await t.ds.query(
      `SELECT type, data FROM conversation_events WHERE conversation_id = $1 AND type = 'team_changed' ORDER BY seq`,
      [conversation.id],
    );
    expect(events.map((e) => e.data)).toEqual([
      { from: null, to: team.id },
      { from: team.id, to: null },
    ]);
  });

  it('audits every write with the team and what changed', async () => {
    const name = unique('Audited');
    const team = (await create(supervisor, name)).body;
    await supervisor.request('PATCH', `/api/teams/${team.id}`, { name: `${name}!` });
    await supervisor.request('PUT', `/api/teams/${team.id}/members`, { userIds: [agentUser.id] });
    await supervisor.request('PUT', `/api/teams/${team.id}/members`, { userIds: [agentUser.id] }); // no change, no entry
    await supervisor.request('DELETE', `/api/teams/${team.id}`);
    const log = await admin.request<Page<AuditEntry>>('GET', `/api/audit?targetType=team&targetId=${team.id}`);
    expect(log.body.items.map((e) => ({ action: e.action, actorId: e.actorId, details: e.details })).reverse()).toEqual(
      [
        { action: 'team.created', actorId: supervisorUser.id, details: { name } },
        { action: 'team.changed', actorId: supervisorUser.id, details: { from: name, to: `${name}!` } },
        { action: 'team.members_changed', actorId: supervisorUser.id, details: { added: [agentUser.id], removed: [] } },
        { action: 'team.deleted', actorId: supervisorUser.id, details: { name: `${name}!`, conversations: 0 } },
      ],
    );
  });
});
