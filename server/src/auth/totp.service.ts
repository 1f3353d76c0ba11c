import { Inject, Injectable } from '@nestjs/common';
import type { RecoveryCodesResponse, TotpSetupResponse } from '@inbox/shared';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../common/app-error';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { SecretBox } from '../crypto/secret-box';
import { SecondFactorRepository } from './second-factor.repository';
import {
  hashRecoveryCode,
  looksLikeTotp,
  newRecoveryCodes,
  newTotpSecret,
  qrDataUrl,
  totpUri,
  verifyTotp,
} from './totp';

/** TOTP seeds are sealed bound to their user, so one cannot be copied onto another user. */
export const totpAad = (userId: string) => `totp:${userId}`;

/** TOTP second factor (RFC 6238, 30 s, ±1 step, each step used once) and one-time recovery codes. */
@Injectable()
export class TotpService {
  constructor(
    @Inject(SecondFactorRepository) private readonly repo: SecondFactorRepository,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A fresh seed for the user to scan; it stays pending (sealed) until `enable` confirms a code from it. */
  async setup(user: { id: string; email: string }): Promise<TotpSetupResponse> {
    const current = await this.repo.find(user.id);
    if (current?.totp_secret)
      throw new AppError('auth/totp_already_enabled', 'Two-factor authentication is already on');
    const secret = newTotpSecret();
    await this.repo.setPending(user.id, this.box.seal(secret, totpAad(user.id)));
    const otpauthUri = totpUri(this.issuer(), user.email, secret);
    return { secret, otpauthUri, qrDataUrl: await qrDataUrl(otpauthUri) };
  }

  /** Confirms the pending seed with a current code; answers the recovery codes, shown this once. */
  async enable(userId: string, code: string): Promise<RecoveryCodesResponse> {
    const current = await this.repo.find(userId);
    if (current?.totp_secret)
      throw new AppError('auth/totp_already_enabled', 'Two-factor authentication is already on');
    const pending = current?.totp_pending_secret;
    if (!pending) throw new AppError('auth/totp_setup_missing', 'Start the setup first (POST /api/auth/totp/setup)');
    const step = await verifyTotp(this.box.open(pending, totpAad(userId)), code.replace(/\s+/g, ''));
    if (step === undefined)
      throw new AppError('auth/totp_invalid', 'The code is not valid; check the time on your device');
    const recoveryCodes = newRecoveryCodes();
    const ok = await this.repo.enable(
      userId,
      pending,
      step,
      recoveryCodes.map((c) => hashRecoveryCode(userId, c)),
    );
    if (!ok) throw new AppError('auth/totp_setup_missing', 'The setup changed meanwhile; start it again');
    await this.audit.record('auth.totp_enrolled', { targetType: 'user', targetId: userId });
    return { recoveryCodes };
  }

  /** New recovery codes (the old ones stop working). */
  async regenerateRecoveryCodes(userId: string): Promise<RecoveryCodesResponse> {
    const current = await this.repo.find(userId);
    if (!current?.totp_secret) throw new AppError('auth/totp_not_enabled', 'Two-factor authentication is not on');
    const recoveryCodes = newRecoveryCodes();
    await this.repo.replaceRecoveryCodes(
      userId,
      recoveryCodes.map((c) => hashRecoveryCode(userId, c)),
    );
    await this.audit.record('auth.recovery_codes_regenerated', { targetType: 'user', targetId: userId });
    return { recoveryCodes };
  }

  /** The user turns their own second factor off. */
  async disable(userId: string): Promise<void> {
    if (!(await this.repo.clear(userId))) {
      throw new AppError('auth/totp_not_enabled', 'Two-factor authentication is not on');
    }
    await this.audit.record('auth.totp_disabled', { targetType: 'user', targetId: userId });
  }

  /** An admin removes a user's second factor (lost device); the policy then makes them enrol again. */
  async reset(userId: string): Promise<void> {
    const had = await this.repo.clear(userId);
    await this.audit.record('auth.totp_reset', { targetType: 'user', targetId: userId, details: { hadTotp: had } });
  }

  /**
   * Checks a login's second factor: a TOTP code of a step not used before (recorded atomically,
   * so two concurrent logins cannot both use it), or an unused recovery code (used up).
   */
  async verifyLogin(userId: string, code: string): Promise<'totp' | 'recovery_code' | undefined> {
    const current = await this.repo.find(userId);
    if (!current?.totp_secret) return undefined;
    if (looksLikeTotp(code)) {
      const secret = this.box.open(current.totp_secret, totpAad(userId));
      const last = current.totp_last_step === null ? undefined : Number(current.totp_last_step);
      const step = await verifyTotp(secret, code.replace(/\s+/g, ''), last);
      if (step === undefined || !(await this.repo.useStep(userId, step))) return undefined;
      return 'totp';
    }
    if (!(await this.repo.consumeRecoveryCode(userId, hashRecoveryCode(userId, code)))) return undefined;
    const left = await this.repo.unusedRecoveryCodes(userId);
    await this.audit.record('auth.recovery_code_used', {
      actorId: userId,
      targetType: 'user',
      targetId: userId,
      details: { left },
    });
    return 'recovery_code';
  }

  private issuer(): string {
    try {
      return `WeChat Inbox (${new URL(this.config.publicUrl).hostname})`;
    } catch {
      return 'WeChat Inbox';
    }
  }
}
