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
import { ChannelAccountEntity } from '../accounts/channel-account.entity';
import { TeamEntity } from '../teams/team.entities';
import { UserEntity } from '../users/user.entity';

/** A customer of one account (a WeChat openid is per account). */
@Entity('contacts')
@Index('contacts_account_id_external_id_key', ['accountId', 'externalId'], { unique: true })
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'contacts_account_id_fkey' })
  account?: ChannelAccountEntity;

  /** The WeChat openid. */
  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text', nullable: true })
  unionid: string | null;

  @Column({ type: 'text', nullable: true })
  remark: string | null;

  @Column({ type: 'boolean', default: true })
  subscribed: boolean;

  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' })
  firstSeenAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt: Date;
}

/** One thread per customer per account; at most one unresolved at a time (partial unique index). */
@Entity('conversations')
@Check('conversations_status_check', `"status" IN ('open', 'pending', 'snoozed', 'resolved')`)
@Index('conversations_one_unresolved_per_contact', ['contactId'], { unique: true, where: `"status" <> 'resolved'` })
@Index('conversations_account_last_message_idx', ['accountId', 'lastMessageAt', 'id'])
@Index('conversations_account_waiting_idx', ['accountId', 'lastCustomerMessageAt', 'id'])
@Index('conversations_team_id_idx', ['teamId'])
@Index('conversations_contact_id_idx', ['contactId', 'lastMessageAt'])
@Index('conversations_live_idx', ['accountId', 'status'], { where: `"status" <> 'resolved'` })
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'conversations_account_id_fkey' })
  account?: ChannelAccountEntity;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => ContactEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contact_id', foreignKeyConstraintName: 'conversations_contact_id_fkey' })
  contact?: ContactEntity;

  @Column({ type: 'text', default: 'open' })
  status: 'open' | 'pending' | 'snoozed' | 'resolved';

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assignee_id', foreignKeyConstraintName: 'conversations_assignee_id_fkey' })
  assignee?: UserEntity;

  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => TeamEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'conversations_team_id_fkey' })
  team?: TeamEntity;

  @Column({ name: 'snoozed_until', type: 'timestamptz', nullable: true })
  snoozedUntil: Date | null;

  @Column({ name: 'last_message_at', type: 'timestamptz', default: () => 'now()' })
  lastMessageAt: Date;

  @Column({ name: 'last_customer_message_at', type: 'timestamptz', nullable: true })
  lastCustomerMessageAt: Date | null;

  /** The customer-service window: when it closes and how many sends it still allows. */
  @Column({ name: 'window_closes_at', type: 'timestamptz', nullable: true })
  windowClosesAt: Date | null;

  @Column({ name: 'sends_left', type: 'integer', default: 0 })
  sendsLeft: number;

  /** When the current episode began (created, or reopened after being resolved). */
  @Column({ name: 'episode_started_at', type: 'timestamptz', default: () => 'now()' })
  episodeStartedAt: Date;

  /** The first customer message not yet answered by a human reply (null: nothing waiting). */
  @Column({ name: 'awaiting_since', type: 'timestamptz', nullable: true })
  awaitingSince: Date | null;

  /** When the episode got its first human reply (null: not yet). */
  @Column({ name: 'first_response_at', type: 'timestamptz', nullable: true })
  firstResponseAt: Date | null;

  /** Last sequence number given to this conversation's events (conversation_events.seq). */
  @Column({ name: 'event_seq', type: 'integer', default: 0 })
  eventSeq: number;

  /** Transaction id of the last change (set by a trigger); /api/sync pages by it. */
  @Index('conversations_xact_id_idx')
  @Column({ name: 'xact_id', type: 'bigint' })
  xactId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Every message and event, in and out; `external_id` (MsgId or the event key) is unique per account. */
@Entity('messages')
@Check('messages_direction_check', `"direction" IN ('in', 'out')`)
@Check('messages_status_check', `"status" IS NULL OR "status" IN ('queued', 'sending', 'sent', 'failed')`)
@Index('messages_account_id_external_id_key', ['accountId', 'externalId'], { unique: true })
@Index('messages_conversation_id_id_idx', ['conversationId', 'id'])
@Index('messages_conversation_sent_at_idx', ['conversationId', 'sentAt', 'id'])
@Index('messages_conversation_client_message_id_key', ['conversationId', 'clientMessageId'], { unique: true })
export class MessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'messages_conversation_id_fkey' })
  conversation?: ConversationEntity;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @ManyToOne(() => ChannelAccountEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'messages_account_id_fkey' })
  account?: ChannelAccountEntity;

  @Column({ type: 'text' })
  direction: 'in' | 'out';

  /** text, image, voice, video, shortvideo, location, link, event, unknown. */
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text', nullable: true })
  text: string | null;

  /** The unified fields of the message (media ids, location, event name and key, …). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  payload: Record<string, unknown>;

  /** The decrypted XML exactly as WeChat sent it. */
  @Column({ type: 'text', nullable: true })
  raw: string | null;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  @Column({ name: 'client_message_id', type: 'text', nullable: true })
  clientMessageId: string | null;

  @Column({ type: 'text', nullable: true })
  status: 'queued' | 'sending' | 'sent' | 'failed' | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_reason', type: 'text', nullable: true })
  errorReason: string | null;

  @Column({ type: 'boolean', default: false })
  private: boolean;

  @Column({ name: 'sender_id', type: 'uuid', nullable: true })
  senderId: string | null;

  @Index('messages_xact_id_idx')
  @Column({ name: 'xact_id', type: 'bigint' })
  xactId: string;

  /** When WeChat says the customer sent it (CreateTime), else when we stored it. */
  @Column({ name: 'sent_at', type: 'timestamptz', default: () => 'now()' })
  sentAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * Append-only history of a conversation, numbered per conversation: message_in, message_out, note,
 * status_changed, assigned, unassigned, transferred, window_opened, snoozed, reopened. The source of every metric.
 */
@Entity('conversation_events')
@Index('conversation_events_conversation_seq_key', ['conversationId', 'seq'], { unique: true })
@Index('conversation_events_account_created_idx', ['accountId', 'createdAt'])
@Index('conversation_events_metrics_idx', ['accountId', 'createdAt'], { where: `"type" IN ('replied', 'resolved')` })
export class ConversationEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'conversation_events_conversation_id_fkey' })
  conversation?: ConversationEntity;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'message_id', type: 'bigint', nullable: true })
  messageId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  data: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** How far each user has read each conversation (unread counts come from here). */
@Entity('conversation_reads')
export class ConversationReadEntity {
  @PrimaryColumn({ name: 'conversation_id', type: 'uuid', primaryKeyConstraintName: 'conversation_reads_pkey' })
  conversationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'conversation_reads_pkey' })
  userId: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'conversation_reads_conversation_id_fkey' })
  conversation?: ConversationEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'conversation_reads_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'last_read_message_id', type: 'bigint', default: 0 })
  lastReadMessageId: string;
}
