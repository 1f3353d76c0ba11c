import type {
  ApiErrorBody,
  Conversation,
  ConversationCounts,
  Label,
  Message,
  Page,
  SyncResponse,
  Team,
} from '@inbox/shared';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../../test/app';
import { newAccount, type MadeAccount } from '../../test/factories/account.factory';
import { newUser, type MadeUser } from '../../test/factories/user.factory';
import { loginAs, type Browser } from '../../test/identity';
import { connectSocket, roundTrip } from '../../test/realtime';
import { AccountsService } from '../accounts/accounts.service';
import { buildPush, pushUrl } from '../channels/wechat/wechat-push.builder';

describe('conversation teams and labels, list filters, sidebar counts (real PostgreSQL, HTTP)', () => {
  let t: TestApp;
  let a: MadeAccount;
  let b: MadeAccount;
  let agentAUser: MadeUser;
  let admin: Browser;
  let agentA: Browser;
  let agentB: Browser;
  let seq = 0;

  const customerSays = async (account: MadeAccount, openid: string, text: string) => {
    const p = buildPush(account, {
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: text,
      MsgId: `${7300000000000000000n + BigInt(++seq)}`,
    });
    const res = await fetch(pushUrl(t.url, account.id, p.query), { method: 'POST', body: p.body });
    expect(await res.text()).toBe('success');
  };
  /** The customer's unresolved conversation (made by their first message). */
  const conversation = async (account: MadeAccount, openid: string, text = `hello from ${openid}`) => {
    await customerSays(account, openid, text);
    const rows: { id: string }[] = await t.ds.query(
      `SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
        WHERE k.account_id = $1 AND k.external_id = $2 AND c.status <> 'resolved'`,
      [account.id, openid],
    );
    return rows[0]!.id;
  };
  const team = async () =>
    (await admin.request<Team>('POST', '/api/teams', { name: `Team ${randomBytes(4).toString('hex')}` })).body.id;
  const label = async () =>
    (await admin.request<Label>('POST', '/api/labels', { name: `Label ${randomBytes(4).toString('hex')}` })).body.id;
  const setTeam = (c: Browser, id: string, teamId: unknown) =>
    c.request<Conversation & ApiErrorBody>('PUT', `/api/conversations/${id}/team`, { teamId });
  const setLabels = (c: Browser, id: string, labelIds: unknown) =>
    c.request<Conversation & ApiErrorBody>('PUT', `/api/conversations/${id}/labels`, { labelIds });
  const ids = async (c: Browser, query: string) => {
    const r = await c.request<Page<Conversation> & ApiErrorBody>('GET', `/api/conversations?limit=100&${query}`);
    expect([query, r.status]).toEqual([query, 200]);
    return r.body.items.map((x) => x.id);
  };
  const events = async (id: string, type: string) =>
    (
      (await t.ds.query(`SELECT data FROM conversation_events WHERE conversation_id = $1 AND type = $2 ORDER BY seq`, [
        id,
        type,
      ])) as { data: Record<string, unknown> }[]
    ).map((e) => e.data);
  /** A new account with these members, for figures no other test touches. */
  const freshAccount = async (...members: MadeUser[]) => {
    const account = await newAccount(t.app, 'plaintext');
    await t.app.get(AccountsService).setMembers(
      account.id,
      members.map((m) => m.id),
    );
    return account;
  };

  beforeAll(async () => {
    // Replies are queued for delivery: point the sender at a closed local port, never the internet.
    t = await startTestApp({ WECHAT_API_BASE: 'http://127.0.0.1:9' });
    a = await newAccount(t.app, 'safe');
    b = await newAccount(t.app, 'plaintext');
    agentAUser = await newUser(t.ds, { role: 'agent' });
    const agentBUser = await newUser(t.ds, { role: 'agent' });
    await t.app.get(AccountsService).setMembers(a.id, [agentAUser.id]);
    await t.app.get(AccountsService).setMembers(b.id, [agentBUser.id]);
    admin = await loginAs(t.url, await newUser(t.ds, { role: 'admin' }));
    agentA = await loginAs(t.url, agentAUser);
    agentB = await loginAs(t.url, agentBUser);
  });
  afterAll(async () => {
    await t.close();
  });

  it('routes a conversation to a team and back, with events, live, for those who see it only', async () => {
    const id = await conversation(a, 'oTeamed');
    const t1 = await team();
    const t2 = await team();
    const sa = await connectSocket(t.url, agentA.cookie);
    const sb = await connectSocket(t.url, agentB.cookie);
    try {
      const routed = await setTeam(agentA, id, t1);
      expect([routed.status, routed.body.id, routed.body.teamId]).toEqual([200, id, t1]);
      await sa.waitFor((log) =>
        log.some((e) => e.event === 'conversation.updated' && JSON.stringify(e.payload).includes(t1)),
      );
      expect((await setTeam(agentA, id, t1)).body.teamId).toBe(t1); // unchanged: no event
      expect((await setTeam(agentA, id, t2.toUpperCase())).body.teamId).toBe(t2);
      expect((await setTeam(agentA, id, null)).body.teamId).toBeNull();
      expect(await events(id, 'team_changed')).toEqual([
        { from: null, to: t1 },
        { from: t1, to: t2 },
        { from: t2, to: null },
      ]);

      for (const bad of ['00000000-0000-4000-8000-000000000000', 'x', undefined, 5]) {
        const r = await setTeam(agentA, id, bad);
        expect([r.status, r.body.code, Object.keys(r.body.fields ?? {})]).toEqual([
          400,
          'validation/failed',
          ['teamId'],
        ]);
      }
      const foreign = await setTeam(agentB, id, t1);
      expect([foreign.status, foreign.body.code]).toEqual([404, 'conversations/not_found']);
      expect((await agentA.request<Conversation>('GET', `/api/conversations/${id}`)).body.teamId).toBeNull();
      await roundTrip(sb.socket);
      expect(JSON.stringify(sb.events)).not.toContain(id);
    } finally {
      sa.socket.close();
      sb.socket.close();
    }
  });

  it('sets the whole label set, with added/removed events; at most 20 known labels', async () => {
    const id = await conversation(a, 'oLabelled');
    const [l1, l2, l3] = [await label(), await label(), await label()];
    const first = await setLabels(agentA, id, [l2, l1, l2]);
    expect([first.status, first.body.labelIds]).toEqual([200, [l2, l1]]);
    const second = await setLabels(agentA, id, [l1, l3.toUpperCase()]);
    expect(second.body.labelIds).toEqual([l1, l3]);
    expect((await setLabels(agentA, id, [l3, l1])).body.labelIds).toEqual([l1, l3]); // same set: no event
    expect((await setLabels(agentA, id, [])).body.labelIds).toEqual([]);
    expect(await events(id, 'labels_changed')).toEqual([
      { added: [l2, l1], removed: [] },
      { added: [l3], removed: [l2] },
      { added: [], removed: [l1, l3] },
    ]);

    const many = await Promise.all(Array.from({ length: 21 }, () => label()));
    expect((await setLabels(agentA, id, many.slice(0, 20))).body.labelIds).toHaveLength(20);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [bad, message] of [
      [many, 'labelIds must contain no more than 20 elements'],
      [[l1, unknown], `${unknown} is not a label`],
      [['x'], undefined],
      ['x', undefined],
      [undefined, undefined],
    ] as const) {
      const r = await setLabels(agentA, id, bad);
      expect([r.status, r.body.code, Object.keys(r.body.fields ?? {})]).toEqual([
        400,
        'validation/failed',
        ['labelIds'],
      ]);
      if (message) expect(r.body.fields?.labelIds).toContain(message);
    }
    expect((await agentA.request<Conversation>('GET', `/api/conversations/${id}`)).body.labelIds).toHaveLength(20);
    const foreign = await setLabels(agentB, id, [l1]);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'conversations/not_found']);
  });

  it('bumps the conversation so /api/sync carries a label or team change, to those who see it', async () => {
    const id = await conversation(a, 'oSynced');
    const l = await label();
    const cursorA = (await agentA.request<SyncResponse>('GET', '/api/sync')).body.cursor;
    const cursorB = (await agentB.request<SyncResponse>('GET', '/api/sync')).body.cursor;
    const before: { xact_id: string; updated_at: Date }[] = await t.ds.query(
      `SELECT xact_id, updated_at FROM conversations WHERE id = $1`,
      [id],
    );
    expect((await setLabels(agentA, id, [l])).status).toBe(200);
    const after: { xact_id: string; updated_at: Date }[] = await t.ds.query(
      `SELECT xact_id, updated_at FROM conversations WHERE id = $1`,
      [id],
    );
    expect(BigInt(after[0]!.xact_id)).toBeGreaterThan(BigInt(before[0]!.xact_id));
    expect(after[0]!.updated_at.getTime()).toBeGreaterThan(before[0]!.updated_at.getTime());

    const sync = await agentA.request<SyncResponse>('GET', `/api/sync?since=${cursorA}`);
    expect(sync.body.conversations.find((c) => c.id === id)?.labelIds).toEqual([l]);
    expect(JSON.stringify((await agentB.request('GET', `/api/sync?since=${cursorB}`)).body)).not.toContain(id);

    const cursor2 = sync.body.cursor;
    const tm = await team();
    await setTeam(agentA, id, tm);
    const sync2 = await agentA.request<SyncResponse>('GET', `/api/sync?since=${cursor2}`);
    expect(sync2.body.conversations.find((c) => c.id === id)).toMatchObject({ teamId: tm, labelIds: [l] });
  });

  it('filters by team (or none) and label, combined with assignee, status and both sorts', async () => {
    const account = await freshAccount(agentAUser);
    const c = [] as string[];
    for (let i = 1; i <= 6; i++) c.push(await conversation(account, `oFilter${i}`));
    const [c1, c2, c3, c4, c5, c6] = c as [string, string, string, string, string, string];
    const [t1, t2] = [await team(), await team()];
    const [l, m] = [await label(), await label()];
    for (const id of [c1, c2, c3]) await setTeam(agentA, id, t1);
    await setTeam(agentA, c4, t2);
    for (const id of [c1, c4, c5]) await setLabels(agentA, id, [l]);
    await setLabels(agentA, c2, [m, l]);
    await setLabels(agentA, c2, [m]);
    for (const id of [c1, c4])
      await agentA.request('PUT', `/api/conversations/${id}/assignee`, { userId: agentAUser.id });
    await agentA.request('PATCH', `/api/conversations/${c2}`, { status: 'pending' });
    await agentA.request('PATCH', `/api/conversations/${c3}`, { status: 'resolved' });

    const all = await ids(agentA, `accountId=${account.id}`);
    expect([...all].sort()).toEqual([...c].sort());
    const q = (query: string) => ids(agentA, `accountId=${account.id}&${query}`);
    const inOrder = (subset: string[]) => all.filter((id) => subset.includes(id));
    expect(await q(`teamId=${t1}`)).toEqual(inOrder([c1, c2, c3]));
    expect(await q(`teamId=${t2.toUpperCase()}`)).toEqual([c4]);
    expect(await q('teamId=none')).toEqual(inOrder([c5, c6]));
    expect(await q(`labelId=${l}`)).toEqual(inOrder([c1, c4, c5]));
    expect(await q(`labelId=${m}`)).toEqual([c2]);
    expect(await q(`labelId=${l}&teamId=${t1}`)).toEqual([c1]);
    expect(await q(`labelId=${l}&teamId=none`)).toEqual([c5]);
    expect(await q(`labelId=${l}&assignee=me`)).toEqual(inOrder([c1, c4]));
    expect(await q(`teamId=${t1}&assignee=none`)).toEqual(inOrder([c2, c3]));
    expect(await q(`teamId=${t1}&status=pending`)).toEqual([c2]);
    expect(await q(`labelId=${m}&status=open`)).toEqual([]);
    expect(await q(`teamId=${t1}&status=open&assignee=me&labelId=${l}`)).toEqual([c1]);
    const waiting = await q(`teamId=${t1}&sort=waiting`);
    expect([...waiting].sort()).toEqual([c1, c2, c3].sort());
    expect(waiting).toEqual(inOrder([c1, c2, c3]).reverse()); // oldest customer message first
    // Without accountId: the same, over every account the agent sees (and only those).
    expect(await ids(agentA, `teamId=${t1}`)).toEqual(inOrder([c1, c2, c3]));
    expect(await ids(agentB, `teamId=${t1}`)).toEqual([]);
    expect(await ids(agentB, `labelId=${l}`)).toEqual([]);

    for (const [query, field] of [
      ['teamId=nobody', 'teamId'],
      ['teamId=', 'teamId'],
      ['labelId=none', 'labelId'],
      ['labelId=123', 'labelId'],
    ] as const) {
      const r = await agentA.request<ApiErrorBody>('GET', `/api/conversations?${query}`);
      expect([query, r.status, Object.keys(r.body.fields ?? {})]).toEqual([query, 400, [field]]);
    }
  });

  it('finds text in the remark, the openid or any non-private message, with % and _ taken literally', async () => {
    const account = await freshAccount(agentAUser);
    const hello = await conversation(account, 'oQueryAlpha', 'Hello there');
    const percent = await conversation(account, 'oQueryBeta', 'I want 50% OFF');
    const fifty = await conversation(account, 'oQueryGamma', '50 OFF please');
    const underscore = await conversation(account, 'oQueryDelta', 'my snake_case name');
    const lookalike = await conversation(account, 'oQueryEpsilon', 'my snakeXcase name');
    const backslash = await conversation(account, 'oQueryZeta', 'saved in C:\\inbox\\50');
    const replied = await conversation(account, 'oQueryEta', 'plain');
    await t.ds.query(
      `UPDATE contacts SET remark = '王先生 Mr. Wang' WHERE account_id = $1 AND external_id = 'oQueryEpsilon'`,
      [account.id],
    );
    const note = await agentA.request<Message>('POST', `/api/conversations/${replied}/notes`, {
      text: 'internal pineapple',
    });
    expect(note.status).toBe(201);
    const reply = await agentA.request<Message>('POST', `/api/conversations/${replied}/messages`, {
      type: 'text',
      text: 'Our banana offer',
      clientMessageId: `filters-${randomBytes(4).toString('hex')}`,
    });
    expect(reply.status).toBe(201);
    await customerSays(account, 'oQueryAlpha', 'a later message with ZEBRA');

    const q = async (text: string) =>
      (await ids(agentA, `accountId=${account.id}&q=${encodeURIComponent(text)}`)).sort();
    expect(await q('hello')).toEqual([hello]);
    expect(await q('hELLo THERE')).toEqual([hello]);
    expect(await q('zebra')).toEqual([hello]); // any message, not only the last
    expect(await q('50% off')).toEqual([percent]);
    expect(await q('%')).toEqual([percent]);
    expect(await q('50')).toEqual([percent, fifty, backslash].sort());
    expect(await q('e_c')).toEqual([underscore]);
    expect(await q('_')).toEqual([underscore]);
    expect(await q('\\inbox')).toEqual([backslash]);
    expect(await q('\\')).toEqual([backslash]);
    expect(await q('王先生')).toEqual([lookalike]);
    expect(await q('mr. WANG')).toEqual([lookalike]);
    expect(await q('queryGAM')).toEqual([fifty]);
    expect(await q('banana')).toEqual([replied]); // the agent's reply counts
    expect(await q('pineapple')).toEqual([]); // a private note does not
    expect(await q('  hello  ')).toEqual([hello]); // trimmed
    // Combined with the other filters.
    const l = await label();
    await setLabels(agentA, fifty, [l]);
    expect((await ids(agentA, `q=50&labelId=${l}`)).sort()).toEqual([fifty]);
    expect(await ids(agentA, `accountId=${account.id}&q=50&status=resolved`)).toEqual([]);

    for (const bad of ['', '   ', 'x'.repeat(101)]) {
      const r = await agentA.request<ApiErrorBody>('GET', `/api/conversations?q=${bad}`);
      expect([r.status, Object.keys(r.body.fields ?? {})]).toEqual([400, ['q']]);
    }
    expect(await q('x'.repeat(100))).toEqual([]);
  });

  it("never gives an agent another account's conversation through q", async () => {
    const secret = await conversation(b, 'oSecretOfB', 'zanzibar-crossing only in B');
    expect(await ids(agentA, 'q=zanzibar')).toEqual([]);
    expect(await ids(agentA, 'q=oSecretOfB')).toEqual([]);
    expect(await ids(agentA, `q=zanzibar&accountId=${b.id}`)).toEqual([]);
    expect(await ids(agentB, 'q=zanzibar')).toEqual([secret]);
    expect(await ids(admin, 'q=zanzibar')).toEqual([secret]);
  });

  it('pages through a filtered list with cursors, in both sorts', async () => {
    const account = await freshAccount(agentAUser);
    const l = await label();
    const wanted: string[] = [];
    const worded: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await conversation(account, `oPage${i}`, i % 3 === 0 ? `page word ${i}` : `other ${i}`);
      if (i % 4 !== 3) {
        await setLabels(agentA, id, [l]);
        wanted.push(id);
        if (i % 3 === 0) worded.push(id);
      }
    }
    expect(worded).toHaveLength(3);
    for (const [sort, extra, expected] of [
      ['last_activity', '', wanted],
      ['waiting', '', wanted],
      ['last_activity', '&q=page%20word', worded],
    ] as const) {
      const base = `accountId=${account.id}&labelId=${l}&sort=${sort}${extra}`;
      const onePage = await ids(agentA, base);
      expect([...onePage].sort()).toEqual([...expected].sort());
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: { status: number; body: Page<Conversation> } = await agentA.request<Page<Conversation>>(
          'GET',
          `/api/conversations?${base}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(r.status).toBe(200);
        seen.push(...r.body.items.map((x) => x.id));
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect([sort, extra, seen]).toEqual([sort, extra, onePage]);
    }
  });

  it('counts open, pending, snoozed and unread per account, mine, unassigned, teams and labels', async () => {
    const agent = await newUser(t.ds, { role: 'agent' });
    const supervisor = await newUser(t.ds, { role: 'supervisor' });
    const c1 = await freshAccount(agent, supervisor);
    const c2 = await freshAccount(supervisor);
    const agentC = await loginAs(t.url, agent);
    const supervisorC = await loginAs(t.url, supervisor);
    const tc = await team();
    const lc = await label();
    const [x1, x2, x3, x4, x5] = [
      await conversation(c1, 'oCountX1'),
      await conversation(c1, 'oCountX2'),
      await conversation(c1, 'oCountX3'),
      await conversation(c1, 'oCountX4'),
      await conversation(c1, 'oCountX5'),
    ];
    const [y1, y2, y3] = [
      await conversation(c2, 'oCountY1'),
      await conversation(c2, 'oCountY2'),
      await conversation(c2, 'oCountY3'),
    ];
    await agentC.request('PUT', `/api/conversations/${x1}/assignee`, { userId: agent.id });
    await setTeam(agentC, x1, tc);
    await setLabels(agentC, x1, [lc]);
    await setLabels(agentC, x2, [lc]);
    await agentC.request('PATCH', `/api/conversations/${x3}`, { status: 'pending' });
    await agentC.request('PATCH', `/api/conversations/${x4}`, {
      status: 'snoozed',
      snoozedUntil: new Date(Date.now() + 3600e3).toISOString(),
    });
    await agentC.request('PATCH', `/api/conversations/${x5}`, { status: 'resolved' });
    await setTeam(supervisorC, y1, tc);
    await setLabels(supervisorC, y3, [lc]); // pending: not an open one
    await supervisorC.request('PUT', `/api/conversations/${y2}/assignee`, { userId: supervisor.id });
    await supervisorC.request('PATCH', `/api/conversations/${y3}`, { status: 'pending' });
    await agentC.request('POST', `/api/conversations/${x1}/read`);
    await agentC.request('POST', `/api/conversations/${x3}/read`);

    const counts = async (c: Browser) => {
      const r = await c.request<ConversationCounts>('GET', '/api/conversations/counts');
      expect(r.status).toBe(200);
      return r.body;
    };
    const agentCounts = await counts(agentC);
    expect(agentCounts).toMatchObject({
      accounts: [{ accountId: c1.id, open: 2, pending: 1, snoozed: 1, unread: 2 }],
      mine: 1,
      unassigned: 1,
      all: 2,
    });
    expect(agentCounts.teams.find((x) => x.teamId === tc)).toEqual({ teamId: tc, open: 1 });
    expect(agentCounts.labels.find((x) => x.labelId === lc)).toEqual({ labelId: lc, open: 2 });

    const supervisorCounts = await counts(supervisorC);
    expect([...supervisorCounts.accounts].sort((p, q) => p.accountId.localeCompare(q.accountId))).toEqual(
      [
        { accountId: c1.id, open: 2, pending: 1, snoozed: 1, unread: 4 },
        { accountId: c2.id, open: 2, pending: 1, snoozed: 0, unread: 3 },
      ].sort((p, q) => p.accountId.localeCompare(q.accountId)),
    );
    expect(supervisorCounts).toMatchObject({ mine: 1, unassigned: 2, all: 4 });
    expect(supervisorCounts.teams.find((x) => x.teamId === tc)).toEqual({ teamId: tc, open: 2 });
    expect(supervisorCounts.labels.find((x) => x.labelId === lc)).toEqual({ labelId: lc, open: 2 });

    // Every team and label is listed, with 0 when none of the caller's conversations carry it.
    const unused = await team();
    expect((await counts(agentC)).teams.find((x) => x.teamId === unused)).toEqual({ teamId: unused, open: 0 });
    // Admins see every account; unread is per user.
    const adminCounts = await counts(admin);
    expect(adminCounts.accounts.filter((x) => [c1.id, c2.id].includes(x.accountId))).toHaveLength(2);
    expect(adminCounts.accounts.find((x) => x.accountId === c1.id)).toEqual({
      accountId: c1.id,
      open: 2,
      pending: 1,
      snoozed: 1,
      unread: 4,
    });
    // An agent of another account sees none of it.
    const other = await counts(agentB);
    expect(JSON.stringify(other.accounts)).not.toContain(c1.id);
    expect(other.teams.find((x) => x.teamId === tc)?.open).toBe(0);

    // A new customer message makes a read conversation unread again; reading clears it.
    await customerSays(c1, 'oCountX3', 'one more thing');
    expect((await counts(agentC)).accounts[0]).toMatchObject({ unread: 3, pending: 0, open: 3 });
    await agentC.request('POST', `/api/conversations/${x2}/read`);
    expect((await counts(agentC)).accounts[0]?.unread).toBe(2);
  });

  it("lists one customer's conversations of every status (the customer panel's history), never across accounts", async () => {
    const first = await conversation(a, 'oHistory');
    expect((await agentA.request('PATCH', `/api/conversations/${first}`, { status: 'resolved' })).status).toBe(200);
    const second = await conversation(a, 'oHistory', 'back again');
    expect(second).not.toBe(first);
    const other = await conversation(a, 'oSomeoneElse');
    const [{ contact_id: contactId }] = (await t.ds.query(`SELECT contact_id FROM conversations WHERE id = $1`, [
      first,
    ])) as [{ contact_id: string }];
    // Both may share a second of CreateTime, so the order between them is not asserted here.
    expect((await ids(agentA, `contactId=${contactId}`)).sort()).toEqual([first, second].sort());
    expect(await ids(agentA, `contactId=${contactId}&status=resolved`)).toEqual([first]);
    expect(await ids(agentA, `contactId=${contactId}`)).not.toContain(other);
    expect(await ids(agentB, `contactId=${contactId}`)).toEqual([]); // agent B does not see account A
    const bad = await agentA.request<ApiErrorBody>('GET', '/api/conversations?contactId=nope');
    expect([bad.status, bad.body.code, Object.keys(bad.body.fields ?? {})]).toEqual([
      400,
      'validation/failed',
      ['contactId'],
    ]);
  });
});
