import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Response-time metrics captured when they happen: each conversation tracks its episode start,
 * the first unanswered customer message and its first human reply; replies and resolutions append
 * `replied` / `resolved` events carrying their duration, indexed for 30-day reports.
 */
export class Metrics1795610400000 implements MigrationInterface {
  name = 'Metrics1795610400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "conversations" ADD "episode_started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await q.query(`ALTER TABLE "conversations" ADD "awaiting_since" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "conversations" ADD "first_response_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`UPDATE "conversations" SET "episode_started_at" = "created_at"`);
    await q.query(
      `CREATE INDEX "conversation_events_metrics_idx" ON "conversation_events" ("account_id", "created_at") WHERE "type" IN ('replied', 'resolved')`,
    );
    // A thread reads in the customer's order (CreateTime), whatever order the callbacks arrived in.
    await q.query(
      `CREATE INDEX "messages_conversation_sent_at_idx" ON "messages" ("conversation_id", "sent_at", "id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."messages_conversation_sent_at_idx"`);
    await q.query(`DROP INDEX "public"."conversation_events_metrics_idx"`);
    await q.query(`ALTER TABLE "conversations" DROP COLUMN "first_response_at"`);
    await q.query(`ALTER TABLE "conversations" DROP COLUMN "awaiting_since"`);
    await q.query(`ALTER TABLE "conversations" DROP COLUMN "episode_started_at"`);
  }
}
