/**
 * The central access-token service (protocol doc §5.4): one token per account in `access_tokens`, sealed with the
 * SecretBox (aad = account id), shared by every instance.
 *
 * - Served from the table while `now < expires_at − 300 s` (clock: the database's, so instances agree).
 * - Refreshed under a per-account transaction-scoped advisory lock: the row is re-read after the lock is taken and
 *   fetched only if still stale, so all instances together fetch once per expiry. In one process, concurrent
 *   callers share one in-flight lookup (one DB round, at most one fetch).
 * - `withToken` retries once on a token error (40001/40014/42001): compare-and-delete the failed token, get a
 *   fresh one, call again; a second failure is surfaced, never looped (§5.3).
 * - A fetch refused for the credentials (40013/40125/40164/40243, or 40001 = wrong secret) marks the account
 *   "credentials broken" and is not tried again with the same credentials for a while (no tight loop).
 */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { SecretBox } from '../../crypto/secret-box';
import { DATA_SOURCE } from '../../database/data-source';
import { WechatApiClient } from './wechat-api.client';
import { WechatApiError } from './wechat-errors';

/** Where the provider gets an account's AppID/AppSecret and reports refused credentials (the accounts service). */
export interface CredentialsSource {
  credentials(accountId: string): Promise<{ appId: string; appSecret: string }>;
  markCredentialsBroken(accountId: string, errcode: number, errmsg: string): Promise<void>;
}

export const WECHAT_CREDENTIALS = Symbol('WECHAT_CREDENTIALS');
export const WECHAT_TOKEN_OPTIONS = Symbol('WECHAT_TOKEN_OPTIONS');

export interface WechatTokenProviderOptions {
  /** Refresh this long before expiry. Default 300 s (§5.2, §5.4). */
  refreshMarginSeconds?: number;
  /** After credentials were refused, the same credentials are not tried again for this long. Default 60 s. */
  credentialsBackoffMs?: number;
  /** Clock for the credentials back-off only (token freshness uses the database clock). */
  now?: () => number;
}

export interface TokenState {
  state: 'none' | 'valid' | 'expired';
  expiresAt: Date | null;
}

interface LockedRow {
  db_now: Date;
  token_sealed: string | null;
  fresh: boolean | null;
  valid: boolean | null;
}

@Injectable()
export class WechatTokenProvider {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly recovering = new Map<string, Promise<string>>();
  private readonly refused = new Map<string, { fingerprint: string; until: number; error: WechatApiError }>();
  private readonly marginSeconds: number;
  private readonly backoffMs: number;
  private readonly now: () => number;

  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    private readonly box: SecretBox,
    private readonly client: WechatApiClient,
    @Inject(WECHAT_CREDENTIALS) private readonly credentials: CredentialsSource,
    @Optional() @Inject(WECHAT_TOKEN_OPTIONS) options?: WechatTokenProviderOptions,
  ) {
    this.marginSeconds = options?.refreshMarginSeconds ?? 300;
    this.backoffMs = options?.credentialsBackoffMs ?? 60_000;
    this.now = options?.now ?? Date.now;
  }

  /** A token valid for at least the refresh margin. Concurrent calls in this process share one lookup. */
  getToken(accountId: string): Promise<string> {
    const running = this.inflight.get(accountId);
    if (running) return running;
    const p = this.lookup(accountId).finally(() => this.inflight.delete(accountId));
    this.inflight.set(accountId, p);
    return p;
  }

  /**
   * Runs `fn(token)`. On a token error (kind 'token': 40001/40014/42001) the failed token is invalidated, a new one
   * obtained and `fn` called once more; its outcome, success or error, is final.
   */
  async withToken<T>(accountId: string, fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.getToken(accountId);
    try {
      return await fn(token);
    } catch (err) {
      if (!(err instanceof WechatApiError) || err.kind !== 'token') throw err;
      return fn(await this.recover(accountId, token));
    }
  }

  /** Deletes the cached token only if it is still `failedToken` (compare-and-delete). True when deleted. */
  async invalidate(accountId: string, failedToken: string): Promise<boolean> {
    const rows: { token_sealed: string }[] = await this.ds.query(
      'SELECT token_sealed FROM access_tokens WHERE account_id = $1',
      [accountId],
    );
    const sealed = rows[0]?.token_sealed;
    if (sealed === undefined) return false;
    const current = this.openOrUndefined(sealed, accountId);
    if (current !== undefined && current !== failedToken) return false;
    const result: unknown = await this.ds.query(
      'DELETE FROM access_tokens WHERE account_id = $1 AND token_sealed = $2',
      [accountId, sealed],
    );
    return Array.isArray(result) && result[1] === 1;
  }

  /** For the account's health panel. */
  async tokenState(accountId: string): Promise<TokenState> {
    const rows: { expires_at: Date; valid: boolean }[] = await this.ds.query(
      'SELECT expires_at, expires_at > clock_timestamp() AS valid FROM access_tokens WHERE account_id = $1',
      [accountId],
    );
    const row = rows[0];
    if (!row) return { state: 'none', expiresAt: null };
    return { state: row.valid ? 'valid' : 'expired', expiresAt: row.expires_at };
  }

  /** Forget an in-process credentials back-off (e.g. after an admin changed the AppSecret). */
  forgetRefusal(accountId: string): void {
    this.refused.delete(accountId);
  }

  // -------------------------------------------------------------------------------------------------------------

  /**
   * After `failedToken` was refused: compare-and-delete it, then get a token that is not it (never a lookup that may
   * have started before the deletion). Callers that fail with the same token at the same time share one recovery.
   */
  private recover(accountId: string, failedToken: string): Promise<string> {
    const key = `${accountId}\u0000${failedToken}`;
    const running = this.recovering.get(key);
    if (running) return running;
    const p = (async () => {
      await this.invalidate(accountId, failedToken);
      return this.refresh(accountId, failedToken);
    })().finally(() => this.recovering.delete(key));
    this.recovering.set(key, p);
    return p;
  }

  private async lookup(accountId: string): Promise<string> {
    const rows: { token_sealed: string }[] = await this.ds.query(
      `SELECT token_sealed FROM access_tokens
        WHERE account_id = $1 AND expires_at > clock_timestamp() + make_interval(secs => $2)`,
      [accountId, this.marginSeconds],
    );
    const sealed = rows[0]?.token_sealed;
    const cached = sealed === undefined ? undefined : this.openOrUndefined(sealed, accountId);
    return cached ?? this.refresh(accountId);
  }

  /**
   * Under the account's advisory lock: re-read, and fetch only if the row is still stale (or still holds
   * `failedToken`). The lock is held across the fetch so that no other instance fetches at the same time.
   */
  private async refresh(accountId: string, failedToken?: string): Promise<string> {
    let refusal: WechatApiError | undefined;
    try {
      return await this.ds.transaction(async (m) => {
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('wechat-token:' || $1))`, [accountId]);
        const row = await this.readLocked(m, accountId);
        const cached = row.token_sealed === null ? undefined : this.openOrUndefined(row.token_sealed, accountId);
        if (cached !== undefined && row.fresh && cached !== failedToken) return cached;

        const creds = await this.credentials.credentials(accountId);
        const fingerprint = createHash('sha256').update(`${creds.appId}\u0000${creds.appSecret}`).digest('hex');
        const earlier = this.refused.get(accountId);
        if (earlier && earlier.fingerprint === fingerprint && this.now() < earlier.until) throw earlier.error;

        let fetched;
        try {
          fetched = await this.client.fetchStableToken(creds.appId, creds.appSecret);
        } catch (err) {
          if (err instanceof WechatApiError && err.kind === 'credentials') {
            this.refused.set(accountId, { fingerprint, until: this.now() + this.backoffMs, error: err });
            refusal = err;
          } else if (
            err instanceof WechatApiError &&
            err.kind === 'transient' &&
            cached !== undefined &&
            row.valid &&
            cached !== failedToken
          ) {
            // WeChat is unreachable but the cached token has not expired yet (only its margin has): keep using it.
            return cached;
          }
          throw err;
        }
        this.refused.delete(accountId);
        await m.query(
          `INSERT INTO access_tokens (account_id, token_sealed, expires_at, fetched_at)
           VALUES ($1, $2, $3::timestamptz + make_interval(secs => $4), $3::timestamptz)
           ON CONFLICT (account_id) DO UPDATE
             SET token_sealed = EXCLUDED.token_sealed, expires_at = EXCLUDED.expires_at, fetched_at = EXCLUDED.fetched_at`,
          [accountId, this.box.seal(fetched.accessToken, accountId), row.db_now, fetched.expiresIn],
        );
        return fetched.accessToken;
      });
    } catch (err) {
      // Outside the transaction: do not hold the account's lock while the accounts service writes.
      if (refusal && refusal.errcode !== null) {
        await this.credentials.markCredentialsBroken(accountId, refusal.errcode, refusal.errmsg);
      }
      throw err;
    }
  }

  private async readLocked(m: EntityManager, accountId: string): Promise<LockedRow> {
    // db_now is taken when the lock is held, before the fetch: expires_at = db_now + expires_in errs on the early side.
    const rows: LockedRow[] = await m.query(
      `SELECT clock_timestamp() AS db_now, t.token_sealed,
              t.expires_at > clock_timestamp() + make_interval(secs => $2) AS fresh,
              t.expires_at > clock_timestamp() AS valid
         FROM (SELECT 1) AS one LEFT JOIN access_tokens t ON t.account_id = $1`,
      [accountId, this.marginSeconds],
    );
    const row = rows[0];
    if (!row) throw new Error('unreachable: SELECT over (SELECT 1) returned no row');
    return row;
  }

  /** A row sealed under a key no longer configured, or tampered with, counts as no token. */
  private openOrUndefined(sealed: string, accountId: string): string | undefined {
    try {
      return this.box.open(sealed, accountId);
    } catch {
      return undefined;
    }
  }
}
