import { Inject, Injectable } from '@nestjs/common';
import type { Team } from '@inbox/shared';
import { seesAllAccounts, type Viewer } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { InboxEvents } from '../events/inbox-events';
import { TeamsRepository, type Scope } from './teams.repository';

const nameTaken = (name: string) => new AppError('teams/name_taken', `A team named "${name}" already exists`);
const notFound = () => new AppError('teams/not_found', 'No such team');
const outside = () => new AppError('auth/forbidden', 'This team is also used outside your accounts; ask an admin');

/** An admin changes any team; a supervisor only one that reaches nothing outside their accounts. */
const scopeOf = (viewer: Viewer): Scope => (viewer.role === 'admin' ? null : viewer.id);
/** Whose colleagues a caller sees among the members: everyone for a caller who sees every account. */
const viewerOf = (viewer: Viewer): string | null => (seesAllAccounts(viewer.role) ? null : viewer.id);

/**
 * Teams of agents; conversations can be routed to one. Changes are for supervisors and admins (the controller):
 * a supervisor creates teams freely, but renames or deletes one, or sets its members, only when it touches
 * nothing outside their accounts (every member, before and after, is the supervisor or a member of one of
 * their accounts; for a rename or a delete, no conversation of another account is routed to it).
 * Callers who do not see every account see only their colleagues among the members.
 */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(TeamsRepository) private readonly repo: TeamsRepository,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  list(viewer: Viewer): Promise<Team[]> {
    return this.repo.list(viewerOf(viewer));
  }

  async get(viewer: Viewer, id: string): Promise<Team> {
    const team = await this.repo.find(id, viewerOf(viewer));
    if (!team) throw notFound();
    return team;
  }

  async create(viewer: Viewer, name: string): Promise<Team> {
    const id = await this.repo.insert(name);
    if (!id) throw nameTaken(name);
    await this.audit.record('team.created', { targetType: 'team', targetId: id, details: { name } });
    return this.get(viewer, id);
  }

  async rename(viewer: Viewer, id: string, name: string): Promise<Team> {
    const result = await this.repo.rename(id, name, scopeOf(viewer));
    if (result === 'taken') throw nameTaken(name);
    if (!result) throw notFound();
    if (result === 'forbidden') throw outside();
    if (result.previous !== name) {
      await this.audit.record('team.changed', {
        targetType: 'team',
        targetId: id,
        details: { from: result.previous, to: name },
      });
    }
    return this.get(viewer, id);
  }

  /** Its conversations stay where they are, routed to no team (each gets a `team_changed` event). */
  async remove(viewer: Viewer, id: string): Promise<void> {
    const removed = await this.repo.delete(id, viewer.id, scopeOf(viewer));
    if (!removed) throw notFound();
    if (removed === 'forbidden') throw outside();
    await this.audit.record('team.deleted', {
      targetType: 'team',
      targetId: id,
      details: { name: removed.name, conversations: removed.conversations.length },
    });
    for (const c of removed.conversations) {
      this.events.emit('conversation.changed', { conversationId: c.id, accountId: c.accountId, created: false });
    }
  }

  async setMembers(viewer: Viewer, id: string, userIds: string[]): Promise<Team> {
    const unique = [...new Set(userIds.map((u) => u.toLowerCase()))];
    const result = await this.repo.setMembers(id, unique, scopeOf(viewer));
    if (!result) throw notFound();
    if (result === 'forbidden') throw outside();
    if ('bad' in result) {
      throw new AppError('validation/failed', `Not active users: ${result.bad.join(', ')}`, {
        userIds: result.bad.map((b) => `${b} is not an active user`),
      });
    }
    const team = await this.get(viewer, id);
    const added = team.memberIds.filter((u) => !result.before.includes(u));
    const removed = result.before.filter((u) => !team.memberIds.includes(u));
    if (added.length || removed.length) {
      await this.audit.record('team.members_changed', {
        targetType: 'team',
        targetId: id,
        details: { added, removed },
      });
    }
    return team;
  }
}
