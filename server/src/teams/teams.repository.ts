import { Inject, Injectable } from '@nestjs/common';
import type { Team } from '@inbox/shared';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

interface TeamRow {
  id: string;
  name: string;
  member_ids: string[];
  created_at: Date;
  updated_at: Date;
}

const SELECT = `
  SELECT t.id, t.name, t.created_at, t.updated_at,
         ARRAY(SELECT m.user_id FROM team_members m WHERE m.team_id = t.id ORDER BY m.user_id) AS member_ids
    FROM teams t`;

function toTeam(r: TeamRow): Team {
  return {
    id: r.id,
    name: r.name,
    memberIds: r.member_ids,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A unique-index violation of `constraint` (a concurrent writer took the name first). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === constraint;
}

@Injectable()
export class TeamsRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async list(): Promise<Team[]> {
    const rows: TeamRow[] = await this.ds.query(`${SELECT} ORDER BY t.name, t.id`);
    return rows.map(toTeam);
  }

  async find(id: string): Promise<Team | undefined> {
    const rows: TeamRow[] = await this.ds.query(`${SELECT} WHERE t.id = $1`, [id]);
    return rows[0] ? toTeam(rows[0]) : undefined;
  }

  /** The new team's id, or undefined when the name is taken (also by a concurrent insert). */
  async insert(name: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO teams (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [name],
    );
    return rows[0]?.id;
  }

  /** Renames; answers the previous name, `undefined` for no such team, `'taken'` when another team has the name. */
  async rename(id: string, name: string): Promise<{ previous: string } | 'taken' | undefined> {
    try {
      const rows: { previous: string }[] = await this.ds.query(
        `WITH p AS (SELECT name AS previous FROM teams WHERE id = $1 FOR UPDATE),
         u AS (UPDATE teams t SET name = $2, updated_at = CASE WHEN p.previous = $2 THEN t.updated_at ELSE now() END
                 FROM p WHERE t.id = $1 RETURNING p.previous)
         SELECT previous FROM u`,
        [id, name],
      );
      return rows[0];
    } catch (err) {
      if (isUniqueViolation(err, 'teams_name_key')) return 'taken';
      throw err;
    }
  }

  /**
   * Deletes the team. Its conversations are routed to no team first, each with a `team_changed`
   * event and a bump (so `/api/sync` carries them); answers the team's name and those conversations.
   * The team row is locked first, as routing a conversation locks it (FOR SHARE): no conversation
   * can join the team while it goes.
   */
  async delete(
    id: string,
    actorId: string,
  ): Promise<{ name: string; conversations: Array<{ id: string; accountId: string }> } | undefined> {
    return this.ds.transaction(async (em) => {
      const team: { name: string }[] = await em.query(`SELECT name FROM teams WHERE id = $1 FOR UPDATE`, [id]);
      if (!team[0]) return undefined;
      const moved: { id: string; account_id: string }[] = await em.query(
        `WITH c AS (
           UPDATE conversations SET team_id = NULL, event_seq = event_seq + 1, updated_at = now()
            WHERE team_id = $1 RETURNING id, account_id, event_seq),
         e AS (
           INSERT INTO conversation_events (conversation_id, account_id, seq, type, actor_id, data)
           SELECT c.id, c.account_id, c.event_seq, 'team_changed', $2::uuid,
                  jsonb_build_object('from', $1::text, 'to', NULL)
             FROM c)
         SELECT id, account_id FROM c`,
        [id, actorId],
      );
      await em.query(`DELETE FROM teams WHERE id = $1`, [id]);
      return { name: team[0].name, conversations: moved.map((r) => ({ id: r.id, accountId: r.account_id })) };
    });
  }

  /**
   * Replaces the members. Answers `undefined` for no such team, `{bad}` with the ids that are not
   * active users (nothing is written then), or the members before.
   */
  async setMembers(id: string, userIds: string[]): Promise<{ bad: string[] } | { before: string[] } | undefined> {
    return this.ds.transaction(async (em) => {
      const team: unknown[] = await em.query(`SELECT 1 FROM teams WHERE id = $1 FOR UPDATE`, [id]);
      if (!team.length) return undefined;
      const ok: { id: string }[] = await em.query(`SELECT id FROM users WHERE id = ANY($1::uuid[]) AND NOT disabled`, [
        userIds,
      ]);
      const found = new Set(ok.map((r) => r.id));
      const bad = userIds.filter((u) => !found.has(u));
      if (bad.length) return { bad };
      const before: { user_id: string }[] = await em.query(
        `SELECT user_id FROM team_members WHERE team_id = $1 ORDER BY user_id`,
        [id],
      );
      await em.query(`DELETE FROM team_members WHERE team_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [id, userIds]);
      await em.query(
        `INSERT INTO team_members (team_id, user_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
        [id, userIds],
      );
      const previous = before.map((r) => r.user_id);
      const changed = previous.length !== userIds.length || userIds.some((u) => !previous.includes(u));
      if (changed) await em.query(`UPDATE teams SET updated_at = now() WHERE id = $1`, [id]);
      return { before: previous };
    });
  }
}
