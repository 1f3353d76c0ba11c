import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelAccountEntity } from '../accounts/channel-account.entity';
import { UserEntity } from '../users/user.entity';

/**
 * A file an agent uploaded to reply with (kept in DATA_DIR/uploads/<account>/<id>). WeChat's
 * temporary media_id for it is cached here: it lives 3 days, so a resend within that reuses it.
 */
@Entity('uploads')
@Index('uploads_account_id_idx', ['accountId'])
export class UploadEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'uploads_account_id_fkey' })
  account?: ChannelAccountEntity;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'uploads_user_id_fkey' })
  user?: UserEntity;

  /** image (the only kind the composer sends today); voice/video would follow WeChat's limits. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ name: 'wechat_media_id', type: 'text', nullable: true })
  wechatMediaId: string | null;

  @Column({ name: 'wechat_media_expires_at', type: 'timestamptz', nullable: true })
  wechatMediaExpiresAt: Date | null;

  /**
   * While set and in the future, one delivery worker is uploading the file to WeChat (a short lease, so no
   * transaction stays open during the upload); an expired lease is free to take again.
   */
  @Column({ name: 'uploading_until', type: 'timestamptz', nullable: true })
  uploadingUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
