import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** A linked channel account (today: a WeChat Official Account). Secrets live sealed in `credentials`. */
@Entity('channel_accounts')
@Check('channel_accounts_kind_check', `"kind" IN ('wechat_oa')`)
@Check('channel_accounts_mode_check', `"mode" IN ('plaintext', 'compatible', 'safe')`)
@Check('channel_accounts_status_check', `"status" IN ('active', 'disabled')`)
@Index('channel_accounts_kind_app_id_key', ['kind', 'appId'], { unique: true })
export class ChannelAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: 'wechat_oa';

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'app_id', type: 'text' })
  appId: string;

  @Column({ name: 'original_id', type: 'text' })
  originalId: string;

  @Column({ type: 'text' })
  mode: 'plaintext' | 'compatible' | 'safe';

  /** SecretBox-sealed JSON: appSecret, token, encodingAesKey, previousEncodingAesKey. */
  @Column({ type: 'text' })
  credentials: string;

  @Column({ type: 'text', default: 'active' })
  status: 'active' | 'disabled';

  /** null = fine; else why WeChat refused our credentials (40013, 40125, 40164, 40243). */
  @Column({ name: 'credentials_error', type: 'text', nullable: true })
  credentialsError: string | null;

  @Column({ name: 'callback_verified_at', type: 'timestamptz', nullable: true })
  callbackVerifiedAt: Date | null;

  @Column({ name: 'last_api_error_code', type: 'integer', nullable: true })
  lastApiErrorCode: number | null;

  @Column({ name: 'last_api_error_at', type: 'timestamptz', nullable: true })
  lastApiErrorAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Agents and supervisors who may see an account (admins and managers see all). */
@Entity('account_members')
export class AccountMemberEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'account_members_pkey' })
  accountId: string;

  @Index('account_members_user_id_idx')
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'account_members_pkey' })
  userId: string;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'account_members_account_id_fkey' })
  account?: ChannelAccountEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'account_members_user_id_fkey' })
  user?: UserEntity;
}

/** The one cached access token per account, shared by every instance; sealed at rest. */
@Entity('access_tokens')
export class AccessTokenEntity {
  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'access_tokens_pkey' })
  accountId: string;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'access_tokens_account_id_fkey' })
  account?: ChannelAccountEntity;

  @Column({ name: 'token_sealed', type: 'text' })
  tokenSealed: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'fetched_at', type: 'timestamptz', default: () => 'now()' })
  fetchedAt: Date;
}
