import { Inject, Injectable } from '@nestjs/common';
import type { Team } from '@inbox/shared';
import type { Viewer } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { InboxEvents } from '../events/inbox-events';
import { TeamsRepository } from './teams.repository';

const nameTaken = (name: string) => new AppError('teams/name_taken', `A team named "${name}" already exists`);
const notFound = () => new AppError('teams/not_found', 'No such team');

/** Teams of agents; conversations can be routed to one. Changes are for supervisors and admins (the controller). */
@Injectable()
export class TeamsService {
  constructor(
    @Inject(TeamsRepository) private readonly repo: TeamsRepository,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  list(): Promise<Team[]> {
    return this.repo.list();
  }

  async get(id: string): Promise<Team> {
    const team = await this.repo.find(id);
    if (!team) throw notFound();
    return team;
  }

  async create(name: string): Promise<Team> {
    const id = await this.repo.insert(name);
    if (!id) throw nameTaken(name);
    await this.audit.record('team.created', { targetType: 'team', targetId: id, details: { name } });
    return this.get(id);
  }

  async rename(id: string, name: string): Promise<Team> {
    const result = await this.repo.rename(id, name);
    if (result === 'taken') throw nameTaken(name);
    if (!result) throw notFound();
    if (result.previous !== name) {
      await this.audit.record('team.changed', {
        targetType: 'team',
        targetId: id,
        details: { from: result.previous, to: name },
      });
    }
    return this.get(id);
  }

  /** Its conversations stay where they are, routed to no team (each gets a `team_changed` event). */
  async remove(viewer: Viewer, id: string): Promise<void> {
    const removed = await this.repo.delete(id, viewer.id);
    if (!removed) throw notFound();
    await this.audit.record('team.deleted', {
      targetType: 'team',
      targetId: id,
      details: { name: removed.name, conversations: removed.conversations.length },
    });
    for (const c of removed.conversations) {
      this.events.emit('conversation.changed', { conversationId: c.id, accountId: c.accountId, created: false });
    }
  }

  async setMembers(id: string, userIds: string[]): Promise<Team> {
    const unique = [...new Set(userIds.map((u) => u.toLowerCase()))];
    const result = await this.repo.setMembers(id, unique);
    if (!result) throw notFound();
    if ('bad' in result) {
      throw new AppError('validation/failed', `Not active users: ${result.bad.join(', ')}`, {
        userIds: result.bad.map((b) => `${b} is not an active user`),
      });
    }
    const team = await this.get(id);
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
