import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { ConversationEntity } from '../conversations/conversation.entities';

/** A tag agents put on conversations ("VIP", "Refund", …); shared by every account. */
@Entity('labels')
@Index('labels_name_key', ['name'], { unique: true })
export class LabelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** A CSS hex colour (#rrggbb). */
  @Column({ type: 'text', default: '#409eff' })
  color: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity('conversation_labels')
@Index('conversation_labels_label_id_idx', ['labelId', 'conversationId'])
export class ConversationLabelEntity {
  @PrimaryColumn({ name: 'conversation_id', type: 'uuid', primaryKeyConstraintName: 'conversation_labels_pkey' })
  conversationId: string;

  @PrimaryColumn({ name: 'label_id', type: 'uuid', primaryKeyConstraintName: 'conversation_labels_pkey' })
  labelId: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'conversation_labels_conversation_id_fkey' })
  conversation?: ConversationEntity;

  @ManyToOne(() => LabelEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'label_id', foreignKeyConstraintName: 'conversation_labels_label_id_fkey' })
  label?: LabelEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
