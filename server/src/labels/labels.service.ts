import { Inject, Injectable } from '@nestjs/common';
import type { Label } from '@inbox/shared';
import type { Viewer } from '../accounts/accounts.service';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import { InboxEvents } from '../events/inbox-events';
import type { Scope } from '../teams/teams.repository';
import { LabelsRepository } from './labels.repository';

export const DEFAULT_LABEL_COLOR = '#409eff';

const nameTaken = (name: string) => new AppError('labels/name_taken', `A label named "${name}" already exists`);
const notFound = () => new AppError('labels/not_found', 'No such label');
/** An admin changes any label; a supervisor only one that no conversation outside their accounts carries. */
const scopeOf = (viewer: Viewer): Scope => (viewer.role === 'admin' ? null : viewer.id);
const outside = () => new AppError('auth/forbidden', 'This label is also used outside your accounts; ask an admin');

/**
 * Labels shared by every account. Changes are for supervisors and admins (the controller): a supervisor creates
 * labels freely, but changes or deletes one only when no conversation outside their accounts carries it.
 */
@Injectable()
export class LabelsService {
  constructor(
    @Inject(LabelsRepository) private readonly repo: LabelsRepository,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  list(): Promise<Label[]> {
    return this.repo.list();
  }

  async create(name: string, color: string | undefined): Promise<Label> {
    const label = await this.repo.insert(name, (color ?? DEFAULT_LABEL_COLOR).toLowerCase());
    if (!label) throw nameTaken(name);
    await this.audit.record('label.created', {
      targetType: 'label',
      targetId: label.id,
      details: { name: label.name, color: label.color },
    });
    return label;
  }

  async update(viewer: Viewer, id: string, name: string, color: string | undefined): Promise<Label> {
    const result = await this.repo.update(id, name, color?.toLowerCase(), scopeOf(viewer));
    if (result === 'taken') throw nameTaken(name);
    if (!result) throw notFound();
    if (result === 'forbidden') throw outside();
    const { before, after } = result;
    if (before.name !== after.name || before.color !== after.color) {
      await this.audit.record('label.changed', {
        targetType: 'label',
        targetId: id,
        details: { from: { name: before.name, color: before.color }, to: { name: after.name, color: after.color } },
      });
    }
    return after;
  }

  /** Takes the label off every conversation (each gets a `labels_changed` event), then deletes it. */
  async remove(viewer: Viewer, id: string): Promise<void> {
    const removed = await this.repo.delete(id, viewer.id, scopeOf(viewer));
    if (!removed) throw notFound();
    if (removed === 'forbidden') throw outside();
    await this.audit.record('label.deleted', {
      targetType: 'label',
      targetId: id,
      details: { name: removed.name, conversations: removed.conversations.length },
    });
    for (const c of removed.conversations) {
      this.events.emit('conversation.changed', { conversationId: c.id, accountId: c.accountId, created: false });
    }
  }
}
