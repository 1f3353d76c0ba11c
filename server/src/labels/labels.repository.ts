import { Inject, Injectable } from '@nestjs/common';
import type { Label } from '@inbox/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { appendEventToEach } from '../conversations/conversations.repository';
import { DATA_SOURCE } from '../database/data-source';
import { isUniqueViolation, type Scope } from '../teams/teams.repository';

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
   * Whether the (locked) label is on a conversation of an account the supervisor `actor` is not a member of.
   */
  private async reachesOutside(em: EntityManager, id: string, actor: string): Promise<boolean> {
    const rows: { outside: boolean }[] = await em.query(
      `SELECT EXISTS (
         SELECT 1 FROM conversation_labels cl JOIN conversations c ON c.id = cl.conversation_id
          WHERE cl.label_id = $1
            AND NOT EXISTS (SELECT 1 FROM account_members am WHERE am.account_id = c.account_id AND am.user_id = $2))
         AS outside`,
      [id, actor],
    );
    return rows[0]!.outside;
  }

  /**
   * Changes the name and (when given) the colour; answers the label before and after, `undefined`
   * for no such label, `'taken'` when another label has the name, `'forbidden'` when the label is on a
   * conversation outside the accounts of the supervisor `scope` (null: an admin, anything). The label
   * row is locked first, as labelling a conversation locks it (FOR SHARE): no conversation takes it meanwhile.
   */
  async update(
    id: string,
    name: string,
    color: string | undefined,
    scope: Scope,
  ): Promise<{ before: Label; after: Label } | 'taken' | 'forbidden' | undefined> {
    try {
      return await this.ds.transaction(async (em) => {
        const current: LabelRow[] = await em.query(`SELECT ${COLUMNS} FROM labels WHERE id = $1 FOR UPDATE`, [id]);
        const before = current[0];
        if (!before) return undefined;
        if (scope && (await this.reachesOutside(em, id, scope))) return 'forbidden';
        const rows: LabelRow[] = await em.query(
          `WITH u AS (UPDATE labels SET name = $2, color = COALESCE($3, color) WHERE id = $1 RETURNING ${COLUMNS})
           SELECT * FROM u`,
          [id, name, color ?? null],
        );
        return { before: toLabel(before), after: toLabel(rows[0]!) };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'labels_name_key')) return 'taken';
      throw err;
    }
  }

  /**
   * Deletes the label. The conversations that carried it get a `labels_changed` event and a bump
   * first (so `/api/sync` carries them); answers `'forbidden'` as `update` does. The label row is
   * locked first, as labelling a conversation locks its labels (FOR SHARE): no conversation can take
   * the label while it goes (see `appendEventToEach` for how its conversations are locked).
   */
  async delete(
    id: string,
    actorId: string,
    scope: Scope,
  ): Promise<{ name: string; conversations: Array<{ id: string; accountId: string }> } | 'forbidden' | undefined> {
    return this.ds.transaction(async (em) => {
      const label: { name: string }[] = await em.query(`SELECT name FROM labels WHERE id = $1 FOR UPDATE`, [id]);
      if (!label[0]) return undefined;
      if (scope && (await this.reachesOutside(em, id, scope))) return 'forbidden';
      const conversations = await appendEventToEach(
        em,
        { where: 'id IN (SELECT conversation_id FROM conversation_labels WHERE label_id = $1)', params: [id] },
        { type: 'labels_changed', actorId, data: { added: [], removed: [id] } },
      );
      await em.query(`DELETE FROM labels WHERE id = $1`, [id]);
      return { name: label[0].name, conversations };
    });
  }
}
