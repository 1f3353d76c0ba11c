import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ChannelAccountEntity } from '../accounts/channel-account.entity';
import { UserEntity } from '../users/user.entity';

/** A saved reply, for every account (account_id null) or for one account. */
@Entity('canned_responses')
@Index('canned_responses_account_id_idx', ['accountId'])
export class CannedResponseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'uuid', nullable: true })
  accountId: string | null;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'canned_responses_account_id_fkey' })
  account?: ChannelAccountEntity;

  /** What the agent types to find it, e.g. "hours". */
  @Column({ type: 'text' })
  shortcut: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'canned_responses_created_by_fkey' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
