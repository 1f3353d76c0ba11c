import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Teams (conversations can be routed to one), labels on conversations, canned responses (global
 * or per account) and uploads (files agents reply with, with WeChat's cached temporary media_id).
 */
export class TeamsLabelsReplies1795616826107 implements MigrationInterface {
  name = 'TeamsLabelsReplies1795616826107';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "teams" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7e5523774a38b08a6236d322403" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "teams_name_key" ON "teams"  ("name") `);
    await q.query(
      `CREATE TABLE "team_members" ("team_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "team_members_pkey" PRIMARY KEY ("team_id", "user_id"))`,
    );
    await q.query(`CREATE INDEX "team_members_user_id_idx" ON "team_members"  ("user_id") `);
    await q.query(
      `CREATE TABLE "canned_responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid, "shortcut" text NOT NULL, "text" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1df87c74d99c463b1c7fb30dc14" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "canned_responses_account_id_idx" ON "canned_responses"  ("account_id") `);
    await q.query(
      `CREATE TABLE "labels" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "color" text NOT NULL DEFAULT '#409eff', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c0c4e97f76f1f3a268c7a70b925" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "labels_name_key" ON "labels"  ("name") `);
    await q.query(
      `CREATE TABLE "conversation_labels" ("conversation_id" uuid NOT NULL, "label_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "conversation_labels_pkey" PRIMARY KEY ("conversation_id", "label_id"))`,
    );
    await q.query(
      `CREATE INDEX "conversation_labels_label_id_idx" ON "conversation_labels"  ("label_id", "conversation_id") `,
    );
    await q.query(
      `CREATE TABLE "uploads" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "user_id" uuid, "kind" text NOT NULL, "file_name" text NOT NULL, "content_type" text NOT NULL, "size" integer NOT NULL, "wechat_media_id" text, "wechat_media_expires_at" TIMESTAMP WITH TIME ZONE, "uploading_until" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d1781d1eedd7459314f60f39bd3" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "uploads_account_id_idx" ON "uploads"  ("account_id") `);
    await q.query(`ALTER TABLE "conversations" ADD "team_id" uuid`);
    await q.query(`CREATE INDEX "conversations_team_id_idx" ON "conversations"  ("team_id") `);
    // A customer's history (all their conversations, newest first) for the customer panel.
    await q.query(`CREATE INDEX "conversations_contact_id_idx" ON "conversations" ("contact_id", "last_message_at")`);
    // The sidebar counts read only conversations that are not resolved, whatever the history holds.
    await q.query(
      `CREATE INDEX "conversations_live_idx" ON "conversations" ("account_id", "status") WHERE "status" <> 'resolved'`,
    );
    await q.query(
      `ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "conversations_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "canned_responses" ADD CONSTRAINT "canned_responses_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversation_labels" ADD CONSTRAINT "conversation_labels_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversation_labels" ADD CONSTRAINT "conversation_labels_label_id_fkey" FOREIGN KEY ("label_id") REFERENCES "labels"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "uploads" ADD CONSTRAINT "uploads_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "uploads" ADD CONSTRAINT "uploads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "uploads" DROP CONSTRAINT "uploads_user_id_fkey"`);
    await q.query(`ALTER TABLE "uploads" DROP CONSTRAINT "uploads_account_id_fkey"`);
    await q.query(`ALTER TABLE "conversation_labels" DROP CONSTRAINT "conversation_labels_label_id_fkey"`);
    await q.query(`ALTER TABLE "conversation_labels" DROP CONSTRAINT "conversation_labels_conversation_id_fkey"`);
    await q.query(`ALTER TABLE "canned_responses" DROP CONSTRAINT "canned_responses_created_by_fkey"`);
    await q.query(`ALTER TABLE "canned_responses" DROP CONSTRAINT "canned_responses_account_id_fkey"`);
    await q.query(`ALTER TABLE "conversations" DROP CONSTRAINT "conversations_team_id_fkey"`);
    await q.query(`ALTER TABLE "team_members" DROP CONSTRAINT "team_members_user_id_fkey"`);
    await q.query(`ALTER TABLE "team_members" DROP CONSTRAINT "team_members_team_id_fkey"`);
    await q.query(`DROP INDEX "public"."conversations_live_idx"`);
    await q.query(`DROP INDEX "public"."conversations_contact_id_idx"`);
    await q.query(`DROP INDEX "public"."conversations_team_id_idx"`);
    await q.query(`ALTER TABLE "conversations" DROP COLUMN "team_id"`);
    await q.query(`DROP INDEX "public"."uploads_account_id_idx"`);
    await q.query(`DROP TABLE "uploads"`);
    await q.query(`DROP INDEX "public"."conversation_labels_label_id_idx"`);
    await q.query(`DROP TABLE "conversation_labels"`);
    await q.query(`DROP INDEX "public"."labels_name_key"`);
    await q.query(`DROP TABLE "labels"`);
    await q.query(`DROP INDEX "public"."canned_responses_account_id_idx"`);
    await q.query(`DROP TABLE "canned_responses"`);
    await q.query(`DROP INDEX "public"."team_members_user_id_idx"`);
    await q.query(`DROP TABLE "team_members"`);
    await q.query(`DROP INDEX "public"."teams_name_key"`);
    await q.query(`DROP TABLE "teams"`);
  }
}
