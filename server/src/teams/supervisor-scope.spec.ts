import type { ApiErrorBody, Conversation, Label, Team } from '@inbox/shared';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { eventually, loginAs, type Browser } from '../../test/identity';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

type Answer<T> = T & ApiErrorBody;

/**
 * Teams and labels are shared by every account: a supervisor changes one only when it touches nothing
 * outside their accounts; admins change anything; callers who do not see every account see only their
 * colleagues among a team's members (real PostgreSQL, HTTP).
 */
describe('teams and labels within a supervisor’s accounts (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  const u = {} as Record<'admin' | 'manager' | 'supervisor' | 'agentA' | 'agentB' | 'disabledA' | 'loner', MadeUser>;
  const c = {} as Record<'admin' | 'manager' | 'supervisor' | 'agentA' | 'agentB' | 'loner', Browser>;
  let seq = 0;
  const name = (prefix: string) => `${prefix} ${randomBytes(4).toString('hex')}`;

  /** The customer's open conversation in the account (made by their first message). */
  const conversation = async (account: MadeAccount, openid: string): Promise<string> => {
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: `hello from ${openid}`,
      MsgId: `${7400000000000000000n + BigInt(++seq)}`,
    });
    const res = await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body });
    expect(await res.text()).toBe('success');
    const rows: { id: string }[] = await t.ds.query(
      `SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
        WHERE k.account_id = $1 AND k.external_id = $2 AND c.status <> 'resolved'`,
      [account.id, openid],
    );
    return rows[0]!.id;
  };
  const newTeam = async (members: MadeUser[] = []): Promise<Team> => {
    const team = (await c.admin.request<Team>('POST', '/api/teams', { name: name('Team') })).body;
    if (members.length) {
      const r = await c.admin.request<Team>('PUT', `/api/teams/${team.id}/members`, {
        userIds: members.map((m) => m.id),
      });
      expect(r.status).toBe(200);
      return r.body;
    }
    return team;
  };
  const newLabel = async (): Promise<Label> =>
    (await c.admin.request<Label>('POST', '/api/labels', { name: name('Label') })).body;
  const route = async (conversationId: string, teamId: string) =>
    expect((await c.admin.request('PUT', `/api/conversations/${conversationId}/team`, { teamId })).status).toBe(200);
  const tag = async (conversationId: string, labelIds: string[]) =>
    expect((await c.admin.request('PUT', `/api/conversations/${conversationId}/labels`, { labelIds })).status).toBe(
      200,
    );
  const teamAsAdmin = async (id: string) =>
    (await c.admin.request<Team[]>('GET', '/api/teams')).body.find((x) => x.id === id);
  const labelNow = async (id: string) =>
    (await c.admin.request<Label[]>('GET', '/api/labels')).body.find((x) => x.id === id);
  const expectOutside = (r: { status: number; body: ApiErrorBody }, what: 'team' | 'label') => {
    expect([r.status, r.body.code, r.body.message]).toEqual([
      403,
      'auth/forbidden',
      `This ${what} is also used outside your accounts; ask an admin`,
    ]);
  };

  beforeAll(async () => {
    // Replies are queued for delivery: point the sender at a closed local port, never the internet.
    t = await startTestApp({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    u.admin = await newUser(t.ds, { role: 'admin' });
    u.manager = await newUser(t.ds, { role: 'manager' });
    u.supervisor = await newUser(t.ds, { role: 'supervisor' });
    u.agentA = await newUser(t.ds, { role: 'agent' });
    u.agentB = await newUser(t.ds, { role: 'agent' });
    u.disabledA = await newUser(t.ds, { role: 'agent' });
    u.loner = await newUser(t.ds, { role: 'agent' }); // a member of no account
    const accounts = t.app.get(AccountsService);
    await accounts.setMembers(a.id, [u.supervisor.id, u.agentA.id, u.disabledA.id]);
    await accounts.setMembers(b.id, [u.agentB.id]);
    for (const who of ['admin', 'manager', 'supervisor', 'agentA', 'agentB', 'loner'] as const) {
      c[who] = await loginAs(t.url, u[who]);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  describe('teams', () => {
    it('lets a supervisor create, fill, rename and delete a team within their accounts', async () => {
      const created = await c.supervisor.request<Answer<Team>>('POST', '/api/teams', { name: name('Mine') });
      expect(created.status).toBe(201);
      const set = await c.supervisor.request<Answer<Team>>('PUT', `/api/teams/${created.body.id}/members`, {
        userIds: [u.supervisor.id, u.agentA.id],
      });
      expect([set.status, set.body.memberIds]).toEqual([200, [u.supervisor.id, u.agentA.id].sort()]);
      // A conversation of the supervisor's own account routed to it does not stand in the way.
      const conv = await conversation(a, 'oScopeTeamMine');
      await route(conv, created.body.id);
      const renamed = await c.supervisor.request<Answer<Team>>('PATCH', `/api/teams/${created.body.id}`, {
        name: name('Renamed'),
      });
      expect(renamed.status).toBe(200);
      const shrunk = await c.supervisor.request<Answer<Team>>('PUT', `/api/teams/${created.body.id}/members`, {
        userIds: [u.agentA.id],
      });
      expect([shrunk.status, shrunk.body.memberIds]).toEqual([200, [u.agentA.id]]);
      expect((await c.supervisor.request('DELETE', `/api/teams/${created.body.id}`)).status).toBe(204);
      expect(await teamAsAdmin(created.body.id)).toBeUndefined();
      const after = await c.agentA.request<Conversation>('GET', `/api/conversations/${conv}`);
      expect(after.body.teamId).toBeNull();
    });

    it('refuses a supervisor every change of a team with a member outside their accounts; an admin may', async () => {
      for (const outsider of [u.agentB, u.loner, u.admin]) {
        const team = await newTeam([u.agentA, outsider]);
        const rename = await c.supervisor.request<ApiErrorBody>('PATCH', `/api/teams/${team.id}`, {
          name: name('Taken over'),
        });
        expectOutside(rename, 'team');
        // Not even to drop the outsider, nor to keep the members as they are.
        for (const userIds of [[u.agentA.id], [u.agentA.id, outsider.id]]) {
          expectOutside(
            await c.supervisor.request<ApiErrorBody>('PUT', `/api/teams/${team.id}/members`, { userIds }),
            'team',
          );
        }
        expectOutside(await c.supervisor.request<ApiErrorBody>('DELETE', `/api/teams/${team.id}`), 'team');
        // Nothing changed.
        expect(await teamAsAdmin(team.id)).toEqual(team);

        const byAdmin = await c.admin.request<Team>('PATCH', `/api/teams/${team.id}`, { name: name('Admin') });
        expect(byAdmin.status).toBe(200);
        const members = await c.admin.request<Team>('PUT', `/api/teams/${team.id}/members`, {
          userIds: [u.agentA.id],
        });
        expect(members.body.memberIds).toEqual([u.agentA.id]);
        // Now within the supervisor's accounts.
        expect((await c.supervisor.request('DELETE', `/api/teams/${team.id}`)).status).toBe(204);
      }
    });

    it('refuses a supervisor a member outside their accounts, without telling whether the user exists', async () => {
      const team = await newTeam([u.agentA]);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const outsider of [u.agentB.id, u.loner.id, u.admin.id, u.manager.id, unknown]) {
        const r = await c.supervisor.request<ApiErrorBody>('PUT', `/api/teams/${team.id}/members`, {
          userIds: [u.agentA.id, outsider],
        });
        expectOutside(r, 'team');
        expect(JSON.stringify(r.body)).not.toContain(outsider);
      }
      // A colleague who is disabled: that one the supervisor knows, and is told about.
      await t.ds.query(`UPDATE users SET disabled = true WHERE id = $1`, [u.disabledA.id]);
      try {
        const r = await c.supervisor.request<ApiErrorBody>('PUT', `/api/teams/${team.id}/members`, {
          userIds: [u.agentA.id, u.disabledA.id],
        });
        expect([r.status, r.body.code, r.body.fields?.userIds]).toEqual([
          400,
          'validation/failed',
          [`${u.disabledA.id} is not an active user`],
        ]);
        // An admin is told about any user.
        const byAdmin = await c.admin.request<ApiErrorBody>('PUT', `/api/teams/${team.id}/members`, {
          userIds: [unknown],
        });
        expect([byAdmin.status, byAdmin.body.fields?.userIds]).toEqual([400, [`${unknown} is not an active user`]]);
      } finally {
        await t.ds.query(`UPDATE users SET disabled = false WHERE id = $1`, [u.disabledA.id]);
      }
      expect((await teamAsAdmin(team.id))?.memberIds).toEqual([u.agentA.id]);
    });

    it('refuses a supervisor to rename or delete a team that routes another account’s conversation', async () => {
      const team = await newTeam();
      const ofB = await conversation(b, 'oScopeTeamB');
      const ofA = await conversation(a, 'oScopeTeamA');
      await route(ofB, team.id);
      await route(ofA, team.id);
      expectOutside(
        await c.supervisor.request<ApiErrorBody>('PATCH', `/api/teams/${team.id}`, { name: name('No') }),
        'team',
      );
      expectOutside(await c.supervisor.request<ApiErrorBody>('DELETE', `/api/teams/${team.id}`), 'team');
      expect((await c.agentB.request<Conversation>('GET', `/api/conversations/${ofB}`)).body.teamId).toBe(team.id);
      expect((await teamAsAdmin(team.id))?.name).toBe(team.name);
      // Its members are another matter: all of them are the supervisor's colleagues.
      const members = await c.supervisor.request<Answer<Team>>('PUT', `/api/teams/${team.id}/members`, {
        userIds: [u.agentA.id],
      });
      expect([members.status, members.body.memberIds]).toEqual([200, [u.agentA.id]]);
      // Once B's conversation has left the team, the supervisor may.
      expect((await c.agentB.request('PUT', `/api/conversations/${ofB}/team`, { teamId: null })).status).toBe(200);
      expect((await c.supervisor.request('DELETE', `/api/teams/${team.id}`)).status).toBe(204);
      expect((await c.agentA.request<Conversation>('GET', `/api/conversations/${ofA}`)).body.teamId).toBeNull();
    });

    it('shows callers who do not see every account only their colleagues among the members', async () => {
      const everyone = [u.admin, u.manager, u.supervisor, u.agentA, u.agentB, u.disabledA, u.loner];
      const team = await newTeam(everyone);
      await t.ds.query(`UPDATE users SET disabled = true WHERE id = $1`, [u.disabledA.id]);
      try {
        const sorted = (...m: MadeUser[]) => m.map((x) => x.id).sort();
        for (const [who, expected] of [
          ['admin', sorted(...everyone)],
          ['manager', sorted(...everyone)],
          // Members of their accounts (a disabled one too), themselves, and the admins and managers.
          ['supervisor', sorted(u.admin, u.manager, u.supervisor, u.agentA, u.disabledA)],
          ['agentA', sorted(u.admin, u.manager, u.supervisor, u.agentA, u.disabledA)],
          ['agentB', sorted(u.admin, u.manager, u.agentB)],
          ['loner', sorted(u.admin, u.manager, u.loner)],
        ] as const) {
          const r = await c[who].request<Team[]>('GET', '/api/teams');
          expect([who, r.body.find((x) => x.id === team.id)?.memberIds]).toEqual([who, expected]);
        }
      } finally {
        await t.ds.query(`UPDATE users SET disabled = false WHERE id = $1`, [u.disabledA.id]);
      }
    });
  });

  describe('labels', () => {
    it('lets a supervisor change and delete a label used only within their accounts', async () => {
      const mine = await c.supervisor.request<Answer<Label>>('POST', '/api/labels', { name: name('Mine') });
      expect(mine.status).toBe(201);
      const conv = await conversation(a, 'oScopeLabelMine');
      await tag(conv, [mine.body.id]);
      const changed = await c.supervisor.request<Answer<Label>>('PATCH', `/api/labels/${mine.body.id}`, {
        name: name('Changed'),
        color: '#00aa00',
      });
      expect([changed.status, changed.body.color]).toEqual([200, '#00aa00']);
      expect((await c.supervisor.request('DELETE', `/api/labels/${mine.body.id}`)).status).toBe(204);
      expect((await c.agentA.request<Conversation>('GET', `/api/conversations/${conv}`)).body.labelIds).toEqual([]);
    });

    it('refuses a supervisor to change or delete a label on another account’s conversation; an admin may', async () => {
      const label = await newLabel();
      const ofB = await conversation(b, 'oScopeLabelB');
      const ofA = await conversation(a, 'oScopeLabelA');
      await tag(ofB, [label.id]);
      await tag(ofA, [label.id]);
      for (const body of [{ name: name('No') }, { name: label.name, color: '#000000' }]) {
        expectOutside(await c.supervisor.request<ApiErrorBody>('PATCH', `/api/labels/${label.id}`, body), 'label');
      }
      expectOutside(await c.supervisor.request<ApiErrorBody>('DELETE', `/api/labels/${label.id}`), 'label');
      expect(await labelNow(label.id)).toEqual(label);
      expect((await c.agentB.request<Conversation>('GET', `/api/conversations/${ofB}`)).body.labelIds).toEqual([
        label.id,
      ]);

      const byAdmin = await c.admin.request<Label>('PATCH', `/api/labels/${label.id}`, { name: name('Admin') });
      expect(byAdmin.status).toBe(200);
      expect((await c.admin.request('DELETE', `/api/labels/${label.id}`)).status).toBe(204);
      expect((await c.agentB.request<Conversation>('GET', `/api/conversations/${ofB}`)).body.labelIds).toEqual([]);
    });
  });

  describe('deleting a label or a team with many conversations', () => {
    const convs: string[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 12; i++) convs.push(await conversation(i % 2 ? a : b, `oScopeBulk${i}`));
    });

    /**
     * Holds a lock on one of the conversations, deletes, and looks (SKIP LOCKED) at which are locked while the
     * delete waits: exactly those ordered before it by id, as every bulk change locks them in id order.
     */
    it.each(['label', 'team'] as const)('locks the conversations of a %s in id order', async (kind) => {
      const path =
        kind === 'label'
          ? await (async () => {
              const l = await newLabel();
              for (const id of convs) await tag(id, [l.id]);
              return `/api/labels/${l.id}`;
            })()
          : await (async () => {
              const team = await newTeam();
              for (const id of convs) await route(id, team.id);
              return `/api/teams/${team.id}`;
            })();
      const sorted = [...convs].sort();
      const blocker = sorted[5]!;
      const runner = t.ds.createQueryRunner();
      await runner.connect();
      let deleted: Promise<{ status: number }> | undefined;
      try {
        await runner.startTransaction();
        await runner.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [blocker]);
        deleted = c.admin.request('DELETE', path);
        await eventually(
          'the delete to wait for the held conversation',
          async () => {
            const [w] = (await t.ds.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%conversations%'`,
            )) as { n: number }[];
            return w!.n > 0;
          },
          10_000,
        );
        const free = await t.ds.transaction(
          async (em) =>
            (await em.query(
              `SELECT id FROM conversations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
              [convs],
            )) as { id: string }[],
        );
        expect(free.map((r) => r.id)).toEqual(sorted.slice(6));
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      expect((await deleted)?.status).toBe(204);
    });

    it('deletes labels and a team sharing conversations concurrently, each with its events', async () => {
      const [l1, l2, l3] = [await newLabel(), await newLabel(), await newLabel()];
      const team = await newTeam();
      for (const id of convs) {
        await tag(id, [l1.id, l2.id, l3.id]);
        await route(id, team.id);
      }
      const results = await Promise.all(
        [`/api/labels/${l1.id}`, `/api/labels/${l2.id}`, `/api/teams/${team.id}`, `/api/labels/${l3.id}`].map((path) =>
          c.admin.request<ApiErrorBody>('DELETE', path),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204]);
      const rows: { type: string; n: string }[] = await t.ds.query(
        `SELECT type, count(*) AS n FROM conversation_events
          WHERE conversation_id = ANY($1::uuid[]) AND actor_id = $2
            AND ((type = 'labels_changed' AND data->'removed' ?| $3) OR (type = 'team_changed' AND data->>'from' = $4))
          GROUP BY type ORDER BY type`,
        [convs, u.admin.id, [l1.id, l2.id, l3.id], team.id],
      );
      // Every conversation got one event per deleted label and one for its team (not counting its routing).
      expect(rows.map((r) => [r.type, Number(r.n)])).toEqual([
        ['labels_changed', 36],
        ['team_changed', 12],
      ]);
    });
  });
});
