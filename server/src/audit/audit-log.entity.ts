import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only audit log (a trigger refuses UPDATE, DELETE and TRUNCATE). `details` never holds a secret. */
@Entity('audit_log')
@Index('audit_log_at_idx', ['at'])
@Index('audit_log_actor_idx', ['actorId', 'id'])
@Index('audit_log_action_idx', ['action', 'id'])
@Index('audit_log_target_idx', ['targetType', 'targetId', 'id'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** No foreign key: the log outlives what it talks about. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_email', type: 'text', nullable: true })
  actorEmail: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'target_type', type: 'text', nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'text', nullable: true })
  targetId: string | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;
}
