import { Inject, Injectable } from '@nestjs/common';
import type { AccountMode, Role } from '@inbox/shared';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AccountsService } from '../accounts/accounts.service';
import { CannedResponsesService } from '../canned-responses/canned-responses.service';
import { LOGGER } from '../config/config.module';
import { ConversationsService } from '../conversations/conversations.service';
import { LabelsService } from '../labels/labels.service';
import { SandboxRepository } from '../sandbox/sandbox.repository';
import { SandboxService } from '../sandbox/sandbox.service';
import { TeamsService } from '../teams/teams.service';
import { newAccount } from '../testing/factories/account.factory';
import { DEMO_ACCOUNTS, DEMO_CANNED, DEMO_LABELS, DEMO_TEAM, DEMO_USERS, type DemoCustomer } from './demo.data';
import { DemoRepository } from './demo.repository';

export type DemoOutcome =
  /** Accounts are linked already: the demo never adds anything then. */
  | { kind: 'existing' }
  /** Sandbox on, nothing linked, DEMO not set. */
  | { kind: 'hint' }
  | {
      kind: 'created';
      accounts: Array<{ id: string; name: string; mode: AccountMode }>;
      /** `password` undefined: the user existed already and keeps its password. */
      users: Array<{ email: string; role: Role; password: string | undefined }>;
    };

/**
 * First start with the sandbox on: with `DEMO=1` and no linked account, three sandbox Official Accounts (one per
 * mode), two agents and a supervisor as their members, and a little history written by simulated customers
 * through the real callback path, with a couple of agents' replies sent through the real outbound path.
 * Needs the server to listen (the pushes are real HTTP requests to its own callback URLs).
 */
@Injectable()
export class DemoService {
  constructor(
    @Inject(AccountsRepository) private readonly accountsRepo: AccountsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(ConversationsService) private readonly conversations: ConversationsService,
    @Inject(SandboxService) private readonly sandbox: SandboxService,
    @Inject(SandboxRepository) private readonly sandboxRepo: SandboxRepository,
    @Inject(DemoRepository) private readonly repo: DemoRepository,
    @Inject(TeamsService) private readonly teams: TeamsService,
    @Inject(LabelsService) private readonly labels: LabelsService,
    @Inject(CannedResponsesService) private readonly canned: CannedResponsesService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(demo: boolean): Promise<DemoOutcome> {
    if ((await this.accountsRepo.allIds()).length > 0) return { kind: 'existing' };
    if (!demo) return { kind: 'hint' };

    const users: Array<{ id: string; email: string; role: Role; password: string | undefined }> = [];
    for (const u of DEMO_USERS) {
      const existing = await this.repo.userIdByEmail(u.email);
      if (existing) users.push({ id: existing, email: u.email, role: u.role, password: undefined });
      else users.push({ ...(await this.repo.createUser(u)), password: u.password });
    }

    const accounts: Array<{ id: string; name: string; mode: AccountMode }> = [];
    for (const a of DEMO_ACCOUNTS) {
      const made = await newAccount(this.accounts, a.mode, { name: a.name });
      await this.accounts.setMembers(
        made.id,
        users.map((u) => u.id),
      );
      accounts.push({ id: made.id, name: a.name, mode: a.mode });
    }
    await this.sandbox.syncApps();
    await this.catalog(users);

    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const accountId = accounts[i]?.id;
      if (!accountId) continue;
      for (const c of a.customers) await this.history(accountId, c, users);
    }
    this.logger.info({ accounts: accounts.map((a) => a.id) }, 'demo accounts, users and history created');
    return {
      kind: 'created',
      accounts,
      users: users.map(({ email, role, password }) => ({ email, role, password })),
    };
  }

  /** Labels, the agents' team and canned responses for every account (skipped where they exist already). */
  private async catalog(users: Array<{ id: string; role: Role }>): Promise<void> {
    const existing = async <T>(make: () => Promise<T>) => make().catch(() => undefined); // taken names stay
    for (const l of DEMO_LABELS) await existing(() => this.labels.create(l.name, l.color));
    // The supervisor and the agents are members of every demo account: the team is within the supervisor's.
    const supervisor = users.find((u) => u.role === 'supervisor');
    if (!supervisor) return;
    const team = await existing(() => this.teams.create(supervisor, DEMO_TEAM));
    if (team)
      await this.teams.setMembers(
        supervisor,
        team.id,
        users.filter((u) => u.role === 'agent').map((u) => u.id),
      );
    for (const c of DEMO_CANNED) await existing(() => this.canned.create(supervisor, { accountId: null, ...c }));
  }

  private async history(accountId: string, c: DemoCustomer, users: Array<{ id: string; role: Role }>): Promise<void> {
    const customer = await this.sandbox.createCustomer(accountId, { displayName: c.displayName });
    for (const action of c.actions) {
      const result =
        'message' in action
          ? await this.sandbox.sendMessage(accountId, customer.openid, action.message)
          : await this.sandbox.sendEvent(accountId, customer.openid, action.event);
      if (!result.delivered) this.logger.warn({ accountId, attempts: result.attempts }, 'demo push not delivered');
    }
    const agent = c.reply ? users[c.reply.agent] : undefined;
    if (!c.reply || !agent) return;
    const conversationId = await this.sandboxRepo.openConversationId(accountId, customer.openid);
    if (!conversationId) return;
    await this.conversations.send(agent, conversationId, c.reply.text, `demo-${randomUUID()}`);
  }
}

/** The start output's lines about the demo (passwords appear here only, once). */
export function demoNotice(outcome: DemoOutcome, url: string): string[] {
  switch (outcome.kind) {
    case 'existing':
      return [];
    case 'hint':
      return [`  Sandbox on and no Official Account linked. Run with DEMO=1 to create demo accounts.`];
    case 'created': {
      const width = Math.max(...outcome.users.map((u) => u.email.length));
      return [
        `  Demo created: ${outcome.accounts.map((a) => `${a.name} (${a.mode})`).join(', ')}`,
        `  Demo users (passwords shown once):`,
        ...outcome.users.map(
          (u) =>
            `    ${u.role.padEnd(10)} ${u.email.padEnd(width)}  ${u.password ?? '(existed already; password unchanged)'}`,
        ),
        `  Write as a customer at ${url}/sandbox, or keep customers writing: npm run demo:traffic`,
      ];
    }
  }
}
