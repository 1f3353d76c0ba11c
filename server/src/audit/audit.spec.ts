import type { AuditEntry, Conversation, Page } from '@inbox/shared';
import { startTestApp, type TestApp } from '../../test/app';
import { accountInput } from '../../test/factories/account.factory';
import { newUser } from '../../test/factories/user.factory';
import { Browser, enrolTotp, loginAs } from '../../test/identity';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

describe('audit log (append-only, admin API with filters and keyset pagination)', () => {
  let t: TestApp;
  let admin: Browser;
  let adminId: string;
  const audit = (query = '') => admin.request<Page<AuditEntry>>('GET', `/api/audit${query}`);

  beforeAll(async () => {
    t = await startTestApp();
    const a = await newUser(t.ds, { role: 'admin' });
    adminId = a.id;
    admin = await loginAs(t.url, a);
  });
  afterAll(async () => {
    await t.close();
  });

  it('records who did what to what, from where, for the security-relevant actions, and never a secret', async () => {
    const secrets: string[] = [];
    // Logins: one failed for a known user, one for an unknown email, one good.
    const agentPassword = 'agent-password-42';
    const made = await admin.request<{ id: string }>('POST', '/api/users', {
      email: 'audited.agent@example.com',
      name: 'Audited',
      password: agentPassword,
      role: 'agent',
    });
    const agentId = made.body.id;
    secrets.push(agentPassword);
    const ip = '198.18.7.7';
    await new Browser(t.url, ip).request('POST', '/api/auth/login', {
      email: 'audited.agent@example.com',
      password: 'wrong-password-99',
    });
    await new Browser(t.url, ip).request('POST', '/api/auth/login', {
      email: 'nobody.here@example.com',
      password: 'wrong-password-98',
    });
    secrets.push('wrong-password-99', 'wrong-password-98');
    const agent = await loginAs(t.url, { email: 'audited.agent@example.com', password: agentPassword });
    const { secret, recoveryCodes } = await enrolTotp(agent);
    secrets.push(secret, ...recoveryCodes);
    await admin.request('PATCH', `/api/users/${agentId}`, { role: 'supervisor', name: 'Audited Sup' });
    await admin.request('POST', `/api/users/${agentId}/password`, { password: 'new-reset-password-7' });
    secrets.push('new-reset-password-7');
    await admin.request('DELETE', `/api/users/${agentId}/totp`);

    const input = accountInput('safe');
    secrets.push(input.appSecret, input.token, input.encodingAesKey);
    const account = await admin.request<{ id: string }>('POST', '/api/accounts', input);
    const newKey = 'Q'.repeat(43);
    secrets.push(newKey);
    await admin.request('PATCH', `/api/accounts/${account.body.id}`, { encodingAesKey: newKey, name: 'Renamed OA' });
    await admin.request('PUT', `/api/accounts/${account.body.id}/members`, { userIds: [agentId] });
    await admin.request('PUT', '/api/settings/security', { totpRequiredRoles: ['manager'], maxSessionsPerUser: null });
    await admin.request('PUT', '/api/settings/security', { totpRequiredRoles: [], maxSessionsPerUser: null });

    // A conversation assigned, then transferred.
    const p = buildPush(
      { ...input, mode: 'safe', encodingAesKey: newKey },
      {
        FromUserName: 'oAudit',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'text',
        Content: 'hi',
        MsgId: '6100000000000000001',
      },
    );
    expect(await (await fetch(pushUrl(t.url, account.body.id, p.query), { method: 'POST', body: p.body })).text()).toBe(
      'success',
    );
    const conv = (await admin.request<Page<Conversation>>('GET', '/api/conversations')).body.items[0]!;
    const other = await newUser(t.ds, { role: 'agent' });
    await admin.request('PUT', `/api/accounts/${account.body.id}/members`, { userIds: [agentId, other.id] });
    await admin.request('PUT', `/api/conversations/${conv.id}/assignee`, { userId: agentId });
    await admin.request('PUT', `/api/conversations/${conv.id}/assignee`, { userId: other.id, note: 'shift change' });
    await admin.request('DELETE', `/api/accounts/${account.body.id}`);

    const all: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<AuditEntry> } = await audit(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(all.map((e) => Number(e.id))).toEqual([...all.map((e) => Number(e.id))].sort((x, y) => y - x));
    const actions = all.map((e) => e.action);
    for (const action of [
      'user.created',
      'auth.login_failed',
      'auth.login_ok',
      'auth.totp_enrolled',
      'user.role_changed',
      'user.changed',
      'user.password_reset',
      'session.revoked',
      'auth.totp_reset',
      'account.linked',
      'account.changed',
      'account.secret_rotated',
      'account.members_changed',
      'settings.security_changed',
      'conversation.assigned',
      'conversation.transferred',
      'account.deleted',
    ]) {
      expect(actions).toContain(action);
    }
    const failed = all.filter((e) => e.action === 'auth.login_failed');
    expect(failed.map((e) => [e.actorEmail, e.ip, e.targetId])).toEqual(
      expect.arrayContaining([
        ['audited.agent@example.com', ip, agentId],
        ['nobody.here@example.com', ip, null],
      ]),
    );
    const role = all.find((e) => e.action === 'user.role_changed');
    expect(role).toMatchObject({
      actorId: adminId,
      targetType: 'user',
      targetId: agentId,
      details: { from: 'agent', to: 'supervisor' },
    });
    expect(role?.ip).toBeTruthy();
    expect(all.find((e) => e.action === 'account.secret_rotated')?.details).toEqual({ secrets: ['encodingAesKey'] });
    expect(all.find((e) => e.action === 'conversation.transferred')).toMatchObject({
      targetType: 'conversation',
      targetId: conv.id,
      details: { from: agentId, to: other.id, note: 'shift change' },
    });
    const text = JSON.stringify(await t.ds.query('SELECT * FROM audit_log'));
    for (const s of secrets) expect(text).not.toContain(s);
  });

  it('filters by actor, action, target and time', async () => {
    const byAction = await audit('?action=auth.login_ok');
    expect(byAction.body.items.length).toBeGreaterThan(0);
    expect(byAction.body.items.every((e) => e.action === 'auth.login_ok')).toBe(true);
    const byActor = await audit(`?actor=${adminId}`);
    expect(byActor.body.items.every((e) => e.actorId === adminId)).toBe(true);
    const some = byActor.body.items.find((e) => e.targetId);
    const byTarget = await audit(`?targetType=${some?.targetType}&targetId=${some?.targetId}`);
    expect(byTarget.body.items.every((e) => e.targetId === some?.targetId)).toBe(true);
    const future = new Date(Date.now() + 3600e3).toISOString();
    expect((await audit(`?from=${future}`)).body.items).toEqual([]);
    expect((await audit(`?to=${future}&limit=1`)).body.items).toHaveLength(1);
    expect((await audit('?action=not.an.action')).status).toBe(400);
    expect((await audit('?cursor=abc')).status).toBe(400);
  });

  it('is append-only, and only admins read it', async () => {
    await expect(t.ds.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    for (const role of ['manager', 'supervisor', 'agent'] as const) {
      const c = await loginAs(t.url, await newUser(t.ds, { role }));
      expect((await c.request('GET', '/api/audit')).status).toBe(403);
    }
    expect((await new Browser(t.url).request('GET', '/api/audit')).status).toBe(401);
  });
});
