import { Inject, Injectable } from '@nestjs/common';
import type { Account, Role } from '@inbox/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox } from '../crypto/secret-box';
import { InboxEvents } from '../events/inbox-events';
import type { CreateAccountDto, UpdateAccountDto } from './accounts.dto';
import type { CredentialsSource } from '../channels/wechat/wechat-token.provider';
import { AccountChanges } from './account-changes';
import { AccountsRepository, type AccountConfigRow, type AccountRow } from './accounts.repository';

export interface AccountCredentials {
  appSecret: string;
  token: string;
  encodingAesKey?: string;
  previousEncodingAesKey?: string;
}

export interface Viewer {
  id: string;
  role: Role;
}

/** Admins and managers see every account; agents and supervisors only those they are members of. */
export function seesAllAccounts(role: Role): boolean {
  return role === 'admin' || role === 'manager';
}

@Injectable()
export class AccountsService implements CredentialsSource {
  constructor(
    @Inject(AccountsRepository) private readonly accounts: AccountsRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccountChanges) private readonly changes: AccountChanges,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  sealCredentials(accountId: string, c: AccountCredentials): string {
    return this.box.seal(JSON.stringify(c), `account:${accountId}`);
  }

  openCredentials(row: Pick<AccountRow, 'id' | 'credentials'>): AccountCredentials {
    return JSON.parse(this.box.open(row.credentials, `account:${row.id}`)) as AccountCredentials;
  }

  /** For the token provider: the AppID and AppSecret to fetch access tokens with. */
  async credentials(accountId: string): Promise<{ appId: string; appSecret: string }> {
    const row = await this.findRow(accountId);
    return { appId: row.app_id, appSecret: this.openCredentials(row).appSecret };
  }

  /** WeChat refused our credentials (40013, 40125, 40164, 40243): shown on the account until they change. */
  async markCredentialsBroken(accountId: string, errcode: number, errmsg: string): Promise<void> {
    await this.accounts.markCredentialsBroken(
      accountId,
      `WeChat refused the credentials (${errcode}): ${errmsg}`.slice(0, 500),
      errcode,
    );
  }

  async create(dto: CreateAccountDto): Promise<Account> {
    const id = randomUUID();
    const credentials = this.sealCredentials(id, {
      appSecret: dto.appSecret,
      token: dto.token,
      ...(dto.encodingAesKey ? { encodingAesKey: dto.encodingAesKey } : {}),
    });
    const inserted = await this.accounts.insert({
      id,
      name: dto.name,
      appId: dto.appId,
      originalId: dto.originalId,
      mode: dto.mode,
      credentials,
    });
    if (!inserted) throw new AppError('accounts/app_id_taken', `The Official Account ${dto.appId} is already linked`);
    await this.audit.record('account.linked', {
      targetType: 'account',
      targetId: id,
      details: { name: dto.name, appId: dto.appId, mode: dto.mode, originalId: dto.originalId },
    });
    // Admins' and managers' live sockets join the new account's room.
    this.events.emit('membership.changed', { accountId: id });
    return this.get(id);
  }

  async update(id: string, dto: UpdateAccountDto): Promise<Account> {
    const row = await this.findRow(id);
    let credentials: string | undefined;
    const changesSecrets = dto.appSecret !== undefined || dto.token !== undefined || dto.encodingAesKey !== undefined;
    const current = this.openCredentials(row);
    if (changesSecrets) {
      const next: AccountCredentials = { ...current };
      if (dto.appSecret !== undefined) next.appSecret = dto.appSecret;
      if (dto.token !== undefined) next.token = dto.token;
      if (dto.encodingAesKey !== undefined && dto.encodingAesKey !== current.encodingAesKey) {
        // Rotation: WeChat may still sign with the old key for a while; keep it as the previous key.
        if (current.encodingAesKey) next.previousEncodingAesKey = current.encodingAesKey;
        next.encodingAesKey = dto.encodingAesKey;
      }
      credentials = this.sealCredentials(id, next);
    }
    const mode = dto.mode ?? row.mode;
    const aesKey = dto.encodingAesKey ?? current.encodingAesKey;
    if (mode !== 'plaintext' && !aesKey) {
      throw new AppError('validation/failed', 'encodingAesKey is required in compatible and safe mode', {
        encodingAesKey: ['required in compatible and safe mode'],
      });
    }
    await this.accounts.update(id, {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.originalId !== undefined ? { originalId: dto.originalId } : {}),
      ...(dto.mode !== undefined ? { mode: dto.mode } : {}),
      ...(dto.status !== undefined ? { status: dto.status } : {}),
      ...(credentials
        ? { credentials, credentialsChanged: dto.appSecret !== undefined || dto.token !== undefined }
        : {}),
    });
    this.changes.changed(id);
    // Field names and non-secret values only; secrets are named, never shown.
    const fields = (['name', 'originalId', 'mode', 'status'] as const).filter((f) => dto[f] !== undefined);
    if (fields.length) {
      await this.audit.record('account.changed', {
        targetType: 'account',
        targetId: id,
        details: Object.fromEntries(fields.map((f) => [f, dto[f]])),
      });
    }
    const secrets = (['appSecret', 'token', 'encodingAesKey'] as const).filter((f) => dto[f] !== undefined);
    if (secrets.length) {
      await this.audit.record('account.secret_rotated', { targetType: 'account', targetId: id, details: { secrets } });
    }
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.accounts.delete(id))) throw new AppError('accounts/not_found', 'No such account');
    this.changes.changed(id);
    await this.audit.record('account.deleted', { targetType: 'account', targetId: id });
  }

  async get(id: string, viewer?: Viewer): Promise<Account> {
    if (viewer) await this.assertCanSee(viewer, id);
    const row = await this.accounts.find(id);
    if (!row) throw new AppError('accounts/not_found', 'No such account');
    return this.toAccount(row);
  }

  async list(viewer: Viewer): Promise<Account[]> {
    const rows = seesAllAccounts(viewer.role)
      ? await this.accounts.list()
      : await this.accounts.list(await this.accounts.accountIdsOfMember(viewer.id));
    return rows.map((r) => this.toAccount(r));
  }

  async visibleAccountIds(viewer: Viewer): Promise<string[]> {
    return seesAllAccounts(viewer.role) ? this.accounts.allIds() : this.accounts.accountIdsOfMember(viewer.id);
  }

  /** An account the viewer may not see is answered exactly like one that does not exist. */
  async assertCanSee(viewer: Viewer, accountId: string): Promise<void> {
    if (seesAllAccounts(viewer.role)) return;
    const ids = await this.accounts.accountIdsOfMember(viewer.id);
    if (!ids.includes(accountId)) throw new AppError('accounts/not_found', 'No such account');
  }

  async getMembers(id: string): Promise<{ userIds: string[] }> {
    await this.findRow(id);
    return { userIds: await this.accounts.members(id) };
  }

  async setMembers(id: string, userIds: string[]): Promise<{ userIds: string[] }> {
    await this.findRow(id);
    const unique = [...new Set(userIds)];
    const before = await this.accounts.members(id);
    const bad = await this.accounts.setMembers(id, unique);
    if (bad.length) {
      throw new AppError('validation/failed', `Not agents or supervisors: ${bad.join(', ')}`, {
        userIds: bad.map((b) => `${b} is not an agent or supervisor`),
      });
    }
    this.changes.changed(id);
    const after = await this.accounts.members(id);
    const added = after.filter((u) => !before.includes(u));
    const removed = before.filter((u) => !after.includes(u));
    if (added.length || removed.length) {
      await this.audit.record('account.members_changed', {
        targetType: 'account',
        targetId: id,
        details: { added, removed },
      });
      // Only the users whose membership changed have their live sockets re-scoped.
      for (const userId of [...added, ...removed]) this.events.emit('membership.changed', { userId, accountId: id });
    }
    return { userIds: after };
  }

  private async findRow(id: string): Promise<AccountConfigRow> {
    const row = await this.accounts.findConfig(id);
    if (!row) throw new AppError('accounts/not_found', 'No such account');
    return row;
  }

  toAccount(row: AccountRow): Account {
    const c = this.openCredentials(row);
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      id: row.id,
      kind: row.kind,
      name: row.name,
      appId: row.app_id,
      originalId: row.original_id,
      mode: row.mode,
      status: row.status,
      callbackUrl: `${this.config.publicUrl}/webhooks/wechat/${row.id}`,
      secrets: {
        appSecret: c.appSecret ? 'set' : 'not set',
        token: c.token ? 'set' : 'not set',
        encodingAesKey: c.encodingAesKey ? 'set' : 'not set',
        previousEncodingAesKey: c.previousEncodingAesKey ? 'set' : 'not set',
      },
      health: {
        callbackVerifiedAt: iso(row.callback_verified_at),
        lastMessageAt: iso(row.last_message_at),
        tokenState: !row.token_expires_at ? 'none' : row.token_expires_at.getTime() > Date.now() ? 'valid' : 'expired',
        tokenExpiresAt: iso(row.token_expires_at),
        credentialsError: row.credentials_error,
        lastApiErrorCode: row.last_api_error_code,
        lastApiErrorAt: iso(row.last_api_error_at),
        sendsToday: Number(row.sends_today),
      },
      createdAt: row.created_at.toISOString(),
    };
  }
}
