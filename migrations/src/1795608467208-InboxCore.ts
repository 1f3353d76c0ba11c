import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InboxCore1795608467208 implements MigrationInterface {
  name = 'InboxCore1795608467208';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "conversation_events" ("id" BIGSERIAL NOT NULL, "conversation_id" uuid NOT NULL, "account_id" uuid NOT NULL, "seq" integer NOT NULL, "type" text NOT NULL, "actor_id" uuid, "message_id" bigint, "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d69d1aeac5bf8d33983a582653d" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "conversation_events_account_created_idx" ON "conversation_events"  ("account_id", "created_at") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "conversation_events_conversation_seq_key" ON "conversation_events"  ("conversation_id", "seq") `,
    );
    await q.query(
      `CREATE TABLE "conversation_reads" ("conversation_id" uuid NOT NULL, "user_id" uuid NOT NULL, "last_read_message_id" bigint NOT NULL DEFAULT '0', CONSTRAINT "conversation_reads_pkey" PRIMARY KEY ("conversation_id", "user_id"))`,
    );
    await q.query(`ALTER TABLE "conversations" ADD "event_seq" integer NOT NULL DEFAULT '0'`);
    await q.query(`ALTER TABLE "conversations" ADD "xact_id" bigint`);
    await q.query(`ALTER TABLE "messages" ADD "xact_id" bigint`);
    await q.query(`CREATE INDEX "conversations_xact_id_idx" ON "conversations"  ("xact_id") `);
    await q.query(`CREATE INDEX "messages_xact_id_idx" ON "messages"  ("xact_id") `);
    await q.query(
      `ALTER TABLE "conversation_events" ADD CONSTRAINT "conversation_events_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Every change stamps the row with its transaction id, so /api/sync can page by snapshot xmin
    // and never miss a row whose transaction committed late.
    await q.query(`CREATE FUNCTION inbox_stamp_xact() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.xact_id := pg_current_xact_id()::text::bigint; RETURN NEW; END $$`);
    await q.query(
      `CREATE TRIGGER conversations_stamp_xact BEFORE INSERT OR UPDATE ON "conversations" FOR EACH ROW EXECUTE FUNCTION inbox_stamp_xact()`,
    );
    await q.query(
      `CREATE TRIGGER messages_stamp_xact BEFORE INSERT OR UPDATE ON "messages" FOR EACH ROW EXECUTE FUNCTION inbox_stamp_xact()`,
    );
    await q.query(`UPDATE "conversations" SET xact_id = 0`);
    await q.query(`UPDATE "messages" SET xact_id = 0`);
    await q.query(`ALTER TABLE "conversations" ALTER COLUMN "xact_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "messages" ALTER COLUMN "xact_id" SET NOT NULL`);
    await q.query(
      `CREATE INDEX "conversations_account_waiting_idx" ON "conversations" ("account_id", "last_customer_message_at", "id")`,
    );
    // Large broadcasts of @socket.io/postgres-adapter go through this table (the adapter's own schema).
    await q.query(
      `CREATE TABLE "socket_io_attachments" ("id" bigserial UNIQUE, "created_at" timestamptz DEFAULT now(), "payload" bytea)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "socket_io_attachments"`);
    await q.query(`DROP INDEX "public"."conversations_account_waiting_idx"`);
    await q.query(`DROP TRIGGER messages_stamp_xact ON "messages"`);
    await q.query(`DROP TRIGGER conversations_stamp_xact ON "conversations"`);
    await q.query(`DROP FUNCTION inbox_stamp_xact()`);
    await q.query(`ALTER TABLE "conversation_reads" DROP CONSTRAINT "conversation_reads_user_id_fkey"`);
    await q.query(`ALTER TABLE "conversation_reads" DROP CONSTRAINT "conversation_reads_conversation_id_fkey"`);
    await q.query(`ALTER TABLE "conversation_events" DROP CONSTRAINT "conversation_events_conversation_id_fkey"`);
    await q.query(`DROP INDEX "public"."messages_xact_id_idx"`);
    await q.query(`DROP INDEX "public"."conversations_xact_id_idx"`);
    await q.query(`ALTER TABLE "messages" DROP COLUMN "xact_id"`);
    await q.query(`ALTER TABLE "conversations" DROP COLUMN "xact_id"`);
    await q.query(`ALTER TABLE "conversations" DROP COLUMN "event_seq"`);
    await q.query(`DROP TABLE "conversation_reads"`);
    await q.query(`DROP INDEX "public"."conversation_events_conversation_seq_key"`);
    await q.query(`DROP INDEX "public"."conversation_events_account_created_idx"`);
    await q.query(`DROP TABLE "conversation_events"`);
  }
}
