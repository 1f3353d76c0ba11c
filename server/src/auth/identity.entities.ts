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
} from 'typeorm';
import type { Role } from '@inbox/shared';
import { UserEntity } from '../users/user.entity';

/** One-time 2FA recovery codes; only a SHA-256 of (user id, code) is stored. */
@Entity('recovery_codes')
@Index('recovery_codes_user_code_key', ['userId', 'codeHash'], { unique: true })
export class RecoveryCodeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'recovery_codes_pkey' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'recovery_codes_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'code_hash', type: 'bytea' })
  codeHash: Buffer;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The one row of security settings an admin controls (2FA policy, session cap). */
@Entity('security_settings')
@Check('security_settings_singleton', `"id" = 1`)
@Check('security_settings_max_sessions_check', `"max_sessions_per_user" IS NULL OR "max_sessions_per_user" > 0`)
export class SecuritySettingsEntity {
  @PrimaryColumn({ type: 'smallint', default: 1, primaryKeyConstraintName: 'security_settings_pkey' })
  id: number;

  @Column({ name: 'totp_required_roles', type: 'text', array: true, default: () => "'{}'" })
  totpRequiredRoles: Role[];

  @Column({ name: 'max_sessions_per_user', type: 'integer', nullable: true })
  maxSessionsPerUser: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/**
 * Login and 2FA attempt counters (fixed windows) keyed by `ip:<address>` or `email:<address>`, in
 * PostgreSQL so the limits hold across instances.
 */
@Entity('auth_throttle')
export class AuthThrottleEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'auth_throttle_pkey' })
  key: string;

  @Index('auth_throttle_window_start_idx')
  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ type: 'integer' })
  hits: number;
}
