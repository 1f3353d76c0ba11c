import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WechatChannel1795608120275 implements MigrationInterface {
  name = 'WechatChannel1795608120275';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "channel_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "name" text NOT NULL, "app_id" text NOT NULL, "original_id" text NOT NULL, "mode" text NOT NULL, "credentials" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "credentials_error" text, "callback_verified_at" TIMESTAMP WITH TIME ZONE, "last_api_error_code" integer, "last_api_error_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "channel_accounts_status_check" CHECK ("status" IN ('active', 'disabled')), CONSTRAINT "channel_accounts_mode_check" CHECK ("mode" IN ('plaintext', 'compatible', 'safe')), CONSTRAINT "channel_accounts_kind_check" CHECK ("kind" IN ('wechat_oa')), CONSTRAINT "PK_b23fdcb822c5261260a4c88041e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "channel_accounts_kind_app_id_key" ON "channel_accounts"  ("kind", "app_id") `);
    await q.query(
      `CREATE TABLE "account_members" ("account_id" uuid NOT NULL, "user_id" uuid NOT NULL, CONSTRAINT "account_members_pkey" PRIMARY KEY ("account_id", "user_id"))`,
    );
    await q.query(`CREATE INDEX "account_members_user_id_idx" ON "account_members"  ("user_id") `);
    await q.query(
      `CREATE TABLE "access_tokens" ("account_id" uuid NOT NULL, "token_sealed" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "access_tokens_pkey" PRIMARY KEY ("account_id"))`,
    );
    await q.query(
      `CREATE TABLE "contacts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "external_id" text NOT NULL, "unionid" text, "remark" text, "subscribed" boolean NOT NULL DEFAULT true, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b99cd40cfd66a99f1571f4f72e6" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "contacts_account_id_external_id_key" ON "contacts"  ("account_id", "external_id") `,
    );
    await q.query(
      `CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "contact_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "assignee_id" uuid, "snoozed_until" TIMESTAMP WITH TIME ZONE, "last_message_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_customer_message_at" TIMESTAMP WITH TIME ZONE, "window_closes_at" TIMESTAMP WITH TIME ZONE, "sends_left" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "conversations_status_check" CHECK ("status" IN ('open', 'pending', 'snoozed', 'resolved')), CONSTRAINT "PK_ee34f4f7ced4ec8681f26bf04ef" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "conversations_account_last_message_idx" ON "conversations"  ("account_id", "last_message_at", "id") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "conversations_one_unresolved_per_contact" ON "conversations"  ("contact_id") WHERE "status" <> 'resolved'`,
    );
    await q.query(
      `CREATE TABLE "messages" ("id" BIGSERIAL NOT NULL, "conversation_id" uuid NOT NULL, "account_id" uuid NOT NULL, "direction" text NOT NULL, "type" text NOT NULL, "text" text, "payload" jsonb NOT NULL DEFAULT '{}', "raw" text, "external_id" text, "client_message_id" text, "status" text, "error_code" text, "error_reason" text, "private" boolean NOT NULL DEFAULT false, "sender_id" uuid, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "messages_status_check" CHECK ("status" IS NULL OR "status" IN ('queued', 'sending', 'sent', 'failed')), CONSTRAINT "messages_direction_check" CHECK ("direction" IN ('in', 'out')), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "messages_conversation_client_message_id_key" ON "messages"  ("conversation_id", "client_message_id") `,
    );
    await q.query(`CREATE INDEX "messages_conversation_id_id_idx" ON "messages"  ("conversation_id", "id") `);
    await q.query(
      `CREATE UNIQUE INDEX "messages_account_id_external_id_key" ON "messages"  ("account_id", "external_id") `,
    );
    await q.query(
      `ALTER TABLE "account_members" ADD CONSTRAINT "account_members_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "account_members" ADD CONSTRAINT "account_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "contacts" ADD CONSTRAINT "contacts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "conversations_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "conversations_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "conversations_assignee_id_fkey" FOREIGN KEY ("assignee_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "messages_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "channel_accounts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "messages" DROP CONSTRAINT "messages_account_id_fkey"`);
    await q.query(`ALTER TABLE "messages" DROP CONSTRAINT "messages_conversation_id_fkey"`);
    await q.query(`ALTER TABLE "conversations" DROP CONSTRAINT "conversations_assignee_id_fkey"`);
    await q.query(`ALTER TABLE "conversations" DROP CONSTRAINT "conversations_contact_id_fkey"`);
    await q.query(`ALTER TABLE "conversations" DROP CONSTRAINT "conversations_account_id_fkey"`);
    await q.query(`ALTER TABLE "contacts" DROP CONSTRAINT "contacts_account_id_fkey"`);
    await q.query(`ALTER TABLE "access_tokens" DROP CONSTRAINT "access_tokens_account_id_fkey"`);
    await q.query(`ALTER TABLE "account_members" DROP CONSTRAINT "account_members_user_id_fkey"`);
    await q.query(`ALTER TABLE "account_members" DROP CONSTRAINT "account_members_account_id_fkey"`);
    await q.query(`DROP INDEX "public"."messages_account_id_external_id_key"`);
    await q.query(`DROP INDEX "public"."messages_conversation_id_id_idx"`);
    await q.query(`DROP INDEX "public"."messages_conversation_client_message_id_key"`);
    await q.query(`DROP TABLE "messages"`);
    await q.query(`DROP INDEX "public"."conversations_one_unresolved_per_contact"`);
    await q.query(`DROP INDEX "public"."conversations_account_last_message_idx"`);
    await q.query(`DROP TABLE "conversations"`);
    await q.query(`DROP INDEX "public"."contacts_account_id_external_id_key"`);
    await q.query(`DROP TABLE "contacts"`);
    await q.query(`DROP TABLE "access_tokens"`);
    await q.query(`DROP INDEX "public"."account_members_user_id_idx"`);
    await q.query(`DROP TABLE "account_members"`);
    await q.query(`DROP INDEX "public"."channel_accounts_kind_app_id_key"`);
    await q.query(`DROP TABLE "channel_accounts"`);
  }
}
