import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { ThrottleRepository, type Hit } from './throttle.repository';

export interface ThrottleRule {
  key: string;
  max: number;
  windowSeconds: number;
}

/** Per client address: 5 attempts per 20 seconds. */
export const PER_IP = { max: 5, windowSeconds: 20 } as const;
/** Per account (email or user): 20 attempts per 5 minutes. */
export const PER_ACCOUNT = { max: 20, windowSeconds: 300 } as const;

export interface Reservation {
  hits: Array<{ key: string; hit: Hit }>;
}

/** Rules for a login or second-factor attempt: by IP and by account, known or not. */
export function attemptRules(ip: string | undefined, account: string): ThrottleRule[] {
  return [...(ip ? [{ key: `ip:${ip}`, ...PER_IP }] : []), { key: `account:${account.toLowerCase()}`, ...PER_ACCOUNT }];
}

/**
 * Login and 2FA throttling with counters in PostgreSQL, so the limits hold across instances. Every
 * attempt is counted before the password is checked (concurrent guesses cannot slip past the
 * limit); a successful one is taken back, so only failures use up the allowance.
 */
@Injectable()
export class ThrottleService {
  private lastPurge = 0;

  constructor(@Inject(ThrottleRepository) private readonly repo: ThrottleRepository) {}

  /** Counts the attempt; throws 429 `auth/throttled` with `Retry-After` when any limit is exceeded. */
  async attempt(rules: ThrottleRule[]): Promise<Reservation> {
    await this.purgeNow();
    const hits: Reservation['hits'] = [];
    let retryAfter = 0;
    for (const rule of rules) {
      const hit = await this.repo.hit(rule.key, rule.windowSeconds);
      hits.push({ key: rule.key, hit });
      if (hit.hits > rule.max) retryAfter = Math.max(retryAfter, hit.retryAfter);
    }
    if (retryAfter > 0) {
      throw new AppError('auth/throttled', `Too many attempts; try again in ${retryAfter} seconds`, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
    return { hits };
  }

  async release(r: Reservation): Promise<void> {
    for (const { key, hit } of r.hits) await this.repo.undo(key, hit.windowStart);
  }

  /** Old counters go away at most every 10 minutes, on the attempt path (no timers to stop). */
  private async purgeNow(): Promise<void> {
    if (Date.now() - this.lastPurge < 600_000) return;
    this.lastPurge = Date.now();
    await this.repo.purgeOlderThan(3600);
  }
}
