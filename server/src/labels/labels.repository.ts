import { Inject, Injectable } from '@nestjs/common';
import type { Label } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';
import { isUniqueViolation } from '../teams/teams.repository';

interface LabelRow {
  id: string;
  name: string;
  color: string;
  created_at: Date;
}

const COLUMNS = 'id, name, color, created_at';

function toLabel(r: LabelRow): Label {
  return { id: r.id, name: r.name, color: r.color, createdAt: r.created_at.toISOString() };
}

@Injectable()
export class LabelsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async list(): Promise<Label[]> {
    const rows: LabelRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM labels ORDER BY name, id`);
    return rows.map(toLabel);
  }

  /** The new label, or undefined when the name is taken (also by a concurrent insert). */
  async insert(name: string, color: string): Promise<Label | undefined> {
    const rows: LabelRow[] = await this.ds.query(
      `INSERT INTO labels (name, color) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [name, color],
    );
    return rows[0] ? toLabel(rows[0]) : undefined;
  }

  /**
   * Changes the name and (when given) the colour; answers the label before and after, `undefined`
   * for no such label, `'taken'` when another label has the name.
   */
  async update(
    id: string,
    name: string,
    color: string | undefined,
  ): Promise<{ before: Label; after: Label } | 'taken' | undefined> {
    try {
      const rows: Array<LabelRow & { previous_name: string; previous_color: string }> = await this.ds.query(
        `WITH p AS (SELECT name AS previous_name, color AS previous_color FROM labels WHERE id = $1 FOR UPDATE),
         u AS (UPDATE labels l SET name = $2, color = COALESCE($3, l.color) FROM p WHERE l.id = $1
               RETURNING l.id, l.name, l.color, l.created_at, p.previous_name, p.previous_color)
         SELECT * FROM u`,
        [id, name, color ?? null],
      );
      const r = rows[0];
      if (!r) return undefined;
      return { before: toLabel({ ...r, name: r.previous_name, color: r.previous_color }), after: toLabel(r) };
    } catch (err) {
      if (isUniqueViolation(err, 'labels_name_key')) return 'taken';
      throw err;
    }
  }

  /**
   * Deletes the label. The conversations that carried it get a `labels_changed` event and a bump
   * first (so `/api/sync` carries them); the label row is locked first, as labelling a conversation
   * locks its labels (FOR SHARE): no conversation can take the label while it goes.
   */
  async delete(
    id: string,
    actorId: string,
  ): Promise<{ name: string; conversations: Array<{ id: string; accountId: string }> } | undefined> {
    return this.ds.transaction(async (em) => {
      const label: { name: string }[] = await em.query(`SELECT name FROM labels WHERE id = $1 FOR UPDATE`, [id]);
      if (!label[0]) return undefined;
      const touched: { id: string; account_id: string }[] = await em.query(
        `WITH c AS (
           UPDATE conversations SET event_seq = event_seq + 1, updated_at = now()
            WHERE id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = $1)
           RETURNING id, account_id, event_seq),
         e AS (
           INSERT INTO conversation_events (conversation_id, account_id, seq, type, actor_id, data)
           SELECT c.id, c.account_id, c.event_seq, 'labels_changed', $2::uuid,
                  jsonb_build_object('added', '[]'::jsonb, 'removed', jsonb_build_array($1::text))
             FROM c)
         SELECT id, account_id FROM c`,
        [id, actorId],
      );
      await em.query(`DELETE FROM labels WHERE id = $1`, [id]);
      return { name: label[0].name, conversations: touched.map((r) => ({ id: r.id, accountId: r.account_id })) };
    });
  }
}
