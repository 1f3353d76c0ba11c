import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/data-source';

export interface Hit {
  hits: number;
  /** The window this hit was counted in (as PostgreSQL's text, microseconds kept, to undo it), and seconds until it ends. */
  windowStart: string;
  retryAfter: number;
}

@Injectable()
export class ThrottleRepository {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** Counts one attempt in the key's fixed window (a new window once the old one has passed), atomically. */
  async hit(key: string, windowSeconds: number): Promise<Hit> {
    const rows: Array<{ hits: number; window_start: string; retry_after: string }> = await this.ds.query(
      `INSERT INTO auth_throttle AS t (key, window_start, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         window_start = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN now() ELSE t.window_start END,
         hits = CASE WHEN t.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE t.hits + 1 END
       RETURNING hits, window_start::text AS window_start,
         ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now()))::int AS retry_after`,
      [key, windowSeconds],
    );
    const r = rows[0]!;
    return { hits: r.hits, windowStart: r.window_start, retryAfter: Math.max(1, Number(r.retry_after)) };
  }

  /** Takes back one attempt of the window it was counted in (a successful login is not a guess). */
  async undo(key: string, windowStart: string): Promise<void> {
    await this.ds.query(
      `UPDATE auth_throttle SET hits = greatest(hits - 1, 0) WHERE key = $1 AND window_start = $2::timestamptz`,
      [key, windowStart],
    );
  }

  async purgeOlderThan(seconds: number): Promise<void> {
    await this.ds.query(`DELETE FROM auth_throttle WHERE window_start < now() - make_interval(secs => $1)`, [seconds]);
  }
}
