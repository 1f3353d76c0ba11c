import { Inject, Injectable } from '@nestjs/common';
import type { Team } from '@inbox/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { appendEventToEach } from '../conversations/conversations.repository';
import { DATA_SOURCE } from '../database/data-source';
import { sharesAnAccount } from '../users/colleagues.repository';

interface TeamRow {
  id: string;
  name: string;
  member_ids: string[];
  created_at: Date;
  updated_at: Date;
}

/**
 * The teams with their members: every member for `$1` null (a caller who sees every account), else only the
 * caller's colleagues: the caller, members of the caller's accounts, and admins and managers.
 */
const SELECT = `
  SELECT t.id, t.name, t.created_at, t.updated_at,
         ARRAY(SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id
                WHERE m.team_id = t.id
                  AND ($1::uuid IS NULL OR u.role IN ('admin', 'manager') OR ${sharesAnAccount('m.user_id', '$1::uuid')})
                ORDER BY m.user_id) AS member_ids
    FROM teams t`;

/**
 * Who changes a team: `null` for an admin (anything), or a supervisor's id: only a team that touches nothing
 * outside their accounts (see `reachesOutside`).
 */
export type Scope = string | null;

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

  /** `viewer`: the caller whose colleagues are shown among the members, or null for every member. */
  async list(viewer: string | null): Promise<Team[]> {
    const rows: TeamRow[] = await this.ds.query(`${SELECT} ORDER BY t.name, t.id`, [viewer]);
    return rows.map(toTeam);
  }

  async find(id: string, viewer: string | null): Promise<Team | undefined> {
    const rows: TeamRow[] = await this.ds.query(`${SELECT} WHERE t.id = $2`, [viewer, id]);
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

  /**
   * Whether a change of the (locked) team by the supervisor `actor` would reach outside their accounts: a
   * member, current or among `requested`, who is not the supervisor nor a member of one of their accounts, or
   * (`conversations`) a conversation of an account they are not a member of routed to the team. An unknown
   * user id in `requested` is no colleague either (so nothing tells whether it exists).
   */
  private async reachesOutside(
    em: EntityManager,
    id: string,
    actor: string,
    o: { requested?: string[]; conversations: boolean },
  ): Promise<boolean> {
    const rows: { outside: boolean }[] = await em.query(
      `SELECT EXISTS (SELECT 1 FROM team_members m
                       WHERE m.team_id = $1 AND NOT ${sharesAnAccount('m.user_id', '$2::uuid')})
           OR EXISTS (SELECT 1 FROM unnest($3::uuid[]) AS r(id) WHERE NOT ${sharesAnAccount('r.id', '$2::uuid')})
           OR ($4 AND EXISTS (
                SELECT 1 FROM conversations c
                 WHERE c.team_id = $1
                   AND NOT EXISTS (SELECT 1 FROM account_members am
                                    WHERE am.account_id = c.account_id AND am.user_id = $2::uuid)))
           AS outside`,
      [id, actor, o.requested ?? [], o.conversations],
    );
    return rows[0]!.outside;
  }

  /**
   * Renames; answers the previous name, `undefined` for no such team, `'taken'` when another team has the
   * name, `'forbidden'` when the team reaches outside the accounts of the supervisor `scope`.
   */
  async rename(
    id: string,
    name: string,
    scope: Scope,
  ): Promise<{ previous: string } | 'taken' | 'forbidden' | undefined> {
    try {
      return await this.ds.transaction(async (em) => {
        const team: { name: string }[] = await em.query(`SELECT name FROM teams WHERE id = $1 FOR UPDATE`, [id]);
        if (!team[0]) return undefined;
        if (scope && (await this.reachesOutside(em, id, scope, { conversations: true }))) return 'forbidden';
        if (team[0].name !== name) {
          await em.query(`UPDATE teams SET name = $2, updated_at = now() WHERE id = $1`, [id, name]);
        }
        return { previous: team[0].name };
      });
    } catch (err) {
      if (isUniqueViolation(err, 'teams_name_key')) return 'taken';
      throw err;
    }
  }

  /**
   * Deletes the team. Its conversations are routed to no team first, each with a `team_changed`
   * event and a bump (so `/api/sync` carries them); answers the team's name and those conversations,
   * or `'forbidden'` when the team reaches outside the accounts of the supervisor `scope`.
   * The team row is locked first, as routing a conversation locks it (FOR SHARE): no conversation
   * can join the team while it goes (see `appendEventToEach` for how its conversations are locked).
   */
  async delete(
    id: string,
    actorId: string,
    scope: Scope,
  ): Promise<{ name: string; conversations: Array<{ id: string; accountId: string }> } | 'forbidden' | undefined> {
    return this.ds.transaction(async (em) => {
      const team: { name: string }[] = await em.query(`SELECT name FROM teams WHERE id = $1 FOR UPDATE`, [id]);
      if (!team[0]) return undefined;
      if (scope && (await this.reachesOutside(em, id, scope, { conversations: true }))) return 'forbidden';
      const conversations = await appendEventToEach(
        em,
        { where: 'team_id = $1', params: [id], set: 'team_id = NULL' },
        { type: 'team_changed', actorId, data: { from: id, to: null } },
      );
      await em.query(`DELETE FROM teams WHERE id = $1`, [id]);
      return { name: team[0].name, conversations };
    });
  }

  /**
   * Replaces the members. Answers `undefined` for no such team, `'forbidden'` when a current or a
   * requested member is outside the accounts of the supervisor `scope` (checked first), `{bad}` with
   * the ids that are not active users (nothing is written then), or the members before.
   */
  async setMembers(
    id: string,
    userIds: string[],
    scope: Scope,
  ): Promise<{ bad: string[] } | { before: string[] } | 'forbidden' | undefined> {
    return this.ds.transaction(async (em) => {
      const team: unknown[] = await em.query(`SELECT 1 FROM teams WHERE id = $1 FOR UPDATE`, [id]);
      if (!team.length) return undefined;
      if (scope && (await this.reachesOutside(em, id, scope, { requested: userIds, conversations: false }))) {
        return 'forbidden';
      }
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
