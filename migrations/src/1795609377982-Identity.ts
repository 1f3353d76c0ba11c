import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1795609377982 implements MigrationInterface {
  name = 'Identity1795609377982';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_email" text, "action" text NOT NULL, "target_type" text, "target_id" text, "ip" text, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "audit_log_target_idx" ON "audit_log"  ("target_type", "target_id", "id") `);
    await q.query(`CREATE INDEX "audit_log_action_idx" ON "audit_log"  ("action", "id") `);
    await q.query(`CREATE INDEX "audit_log_actor_idx" ON "audit_log"  ("actor_id", "id") `);
    await q.query(`CREATE INDEX "audit_log_at_idx" ON "audit_log"  ("at") `);
    await q.query(
      `CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" bytea NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "recovery_codes_user_code_key" ON "recovery_codes"  ("user_id", "code_hash") `);
    await q.query(
      `CREATE TABLE "security_settings" ("id" smallint NOT NULL DEFAULT '1', "totp_required_roles" text array NOT NULL DEFAULT '{}', "max_sessions_per_user" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "security_settings_max_sessions_check" CHECK ("max_sessions_per_user" IS NULL OR "max_sessions_per_user" > 0), CONSTRAINT "security_settings_singleton" CHECK ("id" = 1), CONSTRAINT "security_settings_pkey" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "auth_throttle" ("key" text NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "hits" integer NOT NULL, CONSTRAINT "auth_throttle_pkey" PRIMARY KEY ("key"))`,
    );
    await q.query(`CREATE INDEX "auth_throttle_window_start_idx" ON "auth_throttle"  ("window_start") `);
    await q.query(`ALTER TABLE "users" ADD "totp_secret" text`);
    await q.query(`ALTER TABLE "users" ADD "totp_pending_secret" text`);
    await q.query(`ALTER TABLE "users" ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "users" ADD "totp_last_step" bigint`);
    await q.query(
      `ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // The one settings row: no 2FA requirement and no session cap until an admin sets them.
    await q.query(`INSERT INTO "security_settings" ("id") VALUES (1)`);
    // The audit log is append-only: rows can be added, never changed or removed (not even by the app).
    await q.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await q.query(
      `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    );
    await q.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_log_no_truncate ON "audit_log"`);
    await q.query(`DROP TRIGGER audit_log_no_change ON "audit_log"`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`ALTER TABLE "recovery_codes" DROP CONSTRAINT "recovery_codes_user_id_fkey"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "totp_last_step"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "totp_enabled_at"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "totp_pending_secret"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "totp_secret"`);
    await q.query(`DROP INDEX "public"."auth_throttle_window_start_idx"`);
    await q.query(`DROP TABLE "auth_throttle"`);
    await q.query(`DROP TABLE "security_settings"`);
    await q.query(`DROP INDEX "public"."recovery_codes_user_code_key"`);
    await q.query(`DROP TABLE "recovery_codes"`);
    await q.query(`DROP INDEX "public"."audit_log_at_idx"`);
    await q.query(`DROP INDEX "public"."audit_log_actor_idx"`);
    await q.query(`DROP INDEX "public"."audit_log_action_idx"`);
    await q.query(`DROP INDEX "public"."audit_log_target_idx"`);
    await q.query(`DROP TABLE "audit_log"`);
  }
}
