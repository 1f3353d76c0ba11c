import { Inject, Injectable } from '@nestjs/common';
import type { CannedResponse } from '@inbox/shared';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AccountsService, type Viewer } from '../accounts/accounts.service';
import { AppError } from '../common/app-error';
import { UUID } from '../common/uuid';
import type { CreateCannedResponseDto, UpdateCannedResponseDto } from './canned-responses.dto';
import { CannedResponsesRepository, toCannedResponse, type CannedResponseRow } from './canned-responses.repository';

/** A canned response may be used in a conversation of `accountId` when it is global or of that account. */
export function usableIn(c: Pick<CannedResponseRow, 'account_id'>, accountId: string): boolean {
  return c.account_id === null || c.account_id === accountId;
}

/**
 * Saved replies, for every account (`accountId` null) or for one. Everyone reads the global ones and those of the
 * accounts they may see; admins and supervisors (the controller's @Roles) write them — a supervisor only the global
 * ones and those of accounts they see. Another account's are answered as missing.
 */
@Injectable()
export class CannedResponsesService {
  constructor(
    @Inject(CannedResponsesRepository) private readonly repo: CannedResponsesRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(viewer: Viewer, accountId?: string): Promise<CannedResponse[]> {
    let ids = await this.accounts.visibleAccountIds(viewer);
    if (accountId !== undefined) ids = ids.filter((a) => a === accountId);
    return (await this.repo.list(ids)).map(toCannedResponse);
  }

  async create(viewer: Viewer, dto: CreateCannedResponseDto): Promise<CannedResponse> {
    const accountId = dto.accountId ?? null;
    await this.assertScope(viewer, accountId);
    const row = await this.repo.transaction(async (em) => {
      await this.repo.lockScope(em, accountId);
      await this.assertShortcutFree(em, accountId, dto.shortcut, null);
      return this.repo.insert(em, { accountId, shortcut: dto.shortcut, text: dto.text, createdBy: viewer.id });
    });
    await this.audit.record('canned_response.created', {
      targetType: 'canned_response',
      targetId: row.id,
      details: { accountId, shortcut: row.shortcut },
    });
    return toCannedResponse(row);
  }

  /**
   * Changes only the fields sent. The row is re-read and locked (FOR UPDATE) in the transaction that writes it,
   * so a concurrent change of another field (or of the scope) is kept, and whether the viewer may see it is
   * judged on what it is now. The row is locked before the scope, as `create` locks only the scope.
   */
  async update(viewer: Viewer, id: string, dto: UpdateCannedResponseDto): Promise<CannedResponse> {
    const row = await this.repo.transaction(async (em) => {
      const current = await this.editable(viewer, id, em);
      const accountId = dto.accountId !== undefined ? dto.accountId : current.account_id;
      if (accountId !== current.account_id) await this.assertScope(viewer, accountId);
      const next = { accountId, shortcut: dto.shortcut ?? current.shortcut, text: dto.text ?? current.text };
      await this.repo.lockScope(em, accountId);
      await this.assertShortcutFree(em, accountId, next.shortcut, id);
      return this.repo.update(em, id, next);
    });
    if (!row) throw new AppError('canned_responses/not_found', 'No such canned response');
    await this.audit.record('canned_response.changed', {
      targetType: 'canned_response',
      targetId: id,
      details: {
        accountId: row.account_id,
        shortcut: row.shortcut,
        fields: Object.entries(dto)
          .filter(([, v]) => v !== undefined)
          .map(([k]) => k),
      },
    });
    return toCannedResponse(row);
  }

  /** Deletes it if the viewer may see it now (read and locked in the deleting transaction). */
  async remove(viewer: Viewer, id: string): Promise<void> {
    const removed = await this.repo.transaction(async (em) => {
      const current = await this.editable(viewer, id, em);
      if (!(await this.repo.delete(id, em)))
        throw new AppError('canned_responses/not_found', 'No such canned response');
      return current;
    });
    await this.audit.record('canned_response.deleted', {
      targetType: 'canned_response',
      targetId: id,
      details: { accountId: removed.account_id, shortcut: removed.shortcut },
    });
  }

  /**
   * One the viewer may see (global, or of an account they see), locked FOR UPDATE in the caller's transaction;
   * anything else is answered as missing.
   */
  private async editable(viewer: Viewer, id: string, em: EntityManager): Promise<CannedResponseRow> {
    const notFound = () => new AppError('canned_responses/not_found', 'No such canned response');
    const row = UUID.test(id) ? await this.repo.findForUpdate(em, id) : undefined;
    if (!row) throw notFound();
    if (row.account_id !== null) {
      await this.accounts.assertCanSee(viewer, row.account_id).catch(() => {
        throw notFound();
      });
    }
    return row;
  }

  /** Global, or an account the viewer sees (an unknown account and one they do not see read the same). */
  private async assertScope(viewer: Viewer, accountId: string | null): Promise<void> {
    if (accountId === null) return;
    if (!(await this.accounts.visibleAccountIds(viewer)).includes(accountId)) {
      throw new AppError('validation/failed', 'No such account', { accountId: ['no such account'] });
    }
  }

  private async assertShortcutFree(
    em: EntityManager,
    accountId: string | null,
    shortcut: string,
    exceptId: string | null,
  ): Promise<void> {
    if (await this.repo.shortcutTaken(em, accountId, shortcut, exceptId)) {
      throw new AppError(
        'validation/failed',
        `The shortcut "${shortcut}" is already used ${accountId ? 'in this account' : 'by a global canned response'}`,
        { shortcut: ['already used in this scope'] },
      );
    }
  }
}
