import type { Colleague } from '@inbox/shared';
import { HttpClient, startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { AccountsService } from '../accounts/accounts.service';

describe('GET /api/colleagues: names of the people one works with (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let admin: MadeUser;
  let agentA: MadeUser;
  let agentA2: MadeUser;
  let agentB: MadeUser;
  let supervisorAB: MadeUser;
  let loner: MadeUser;
  let disabledA: MadeUser;

  const listAs = async (u: MadeUser): Promise<Colleague[]> => {
    const c = new HttpClient(t.url);
    expect((await c.request('POST', '/api/auth/login', { email: u.email, password: u.password })).status).toBe(200);
    const res = await c.request<Colleague[]>('GET', '/api/colleagues');
    expect(res.status).toBe(200);
    return res.body;
  };
  const ids = (list: Colleague[]) => list.map((c) => c.id).sort();

  beforeAll(async () => {
    t = await startTestApp();
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    admin = await newUser(t.ds, { role: 'admin' });
    agentA = await newUser(t.ds, { role: 'agent' });
    agentA2 = await newUser(t.ds, { role: 'agent' });
    agentB = await newUser(t.ds, { role: 'agent' });
    supervisorAB = await newUser(t.ds, { role: 'supervisor' });
    loner = await newUser(t.ds, { role: 'agent' });
    disabledA = await newUser(t.ds, { role: 'agent' });
    const accounts = t.app.get(AccountsService);
    await accounts.setMembers(a.id, [agentA.id, agentA2.id, supervisorAB.id, disabledA.id]);
    await accounts.setMembers(b.id, [agentB.id, supervisorAB.id]);
    await t.ds.query(`UPDATE users SET disabled = true WHERE id = $1`, [disabledA.id]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('an agent sees the active members of their accounts and the admins, with the accounts they share', async () => {
    const list = await listAs(agentA);
    const seen = ids(list);
    expect(seen).toEqual(expect.arrayContaining([agentA.id, agentA2.id, supervisorAB.id, admin.id]));
    expect(seen).not.toContain(agentB.id); // works on account B only
    expect(seen).not.toContain(loner.id);
    expect(seen).not.toContain(disabledA.id);
    const sup = list.find((c) => c.id === supervisorAB.id);
    expect(sup).toEqual({ id: supervisorAB.id, name: 'Test User', role: 'supervisor', accountIds: [a.id] });
    expect(Object.keys(sup ?? {}).sort()).toEqual(['accountIds', 'id', 'name', 'role']); // no email or 2FA state
  });

  it('a supervisor of two accounts sees both teams; an admin sees every active user', async () => {
    const sup = await listAs(supervisorAB);
    expect(ids(sup)).toEqual(expect.arrayContaining([agentA.id, agentA2.id, agentB.id, admin.id]));
    expect(sup.find((c) => c.id === supervisorAB.id)?.accountIds.sort()).toEqual([a.id, b.id].sort());
    const all = await listAs(admin);
    expect(ids(all)).toEqual(expect.arrayContaining([agentA.id, agentB.id, loner.id, supervisorAB.id]));
    expect(ids(all)).not.toContain(disabledA.id);
  });

  it('a member of no account still sees themselves and the admins, and nobody else', async () => {
    const list = await listAs(loner);
    expect(ids(list)).toContain(loner.id);
    expect(ids(list)).toContain(admin.id);
    expect(ids(list)).not.toContain(agentA.id);
  });
});
