import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccountChanges } from '../../accounts/account-changes';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { AccountsService } from '../../accounts/accounts.service';
import { AppError } from '../../common/app-error';
import { UUID } from '../../common/uuid';
import { LOGGER } from '../../config/config.module';
import { InboxEvents } from '../../events/inbox-events';
import { IngestRepository, type IngestResult, type WindowPolicy } from '../../conversations/ingest.repository';
import { decodeAesKey, decryptWithKeys, verifySignature, WechatCryptoError } from './wechat-crypto';
import { mapInbound, WechatMessageError } from './wechat-message.mapper';
import { assertNoDoctype, parseWechatXml, WechatXmlError, type WechatXmlObject } from './wechat-xml';

export interface CallbackQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  openid?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

interface WebhookAccount {
  id: string;
  appId: string;
  mode: 'plaintext' | 'compatible' | 'safe';
  disabled: boolean;
  token: string;
  /** Current EncodingAESKey first, then the previous one (rotation). */
  aesKeys: Buffer[];
}

/** How long a decrypted account config is reused by this instance before it is read again. */
const ACCOUNT_CACHE_MS = 5_000;

export const DEFAULT_WINDOW_POLICY: WindowPolicy = {
  longSends: 5,
  longSeconds: 48 * 3600,
  shortSends: 3,
  shortSeconds: 60,
};

/**
 * WeChat's push side: URL verification (GET) and message pushes (POST) for one linked account.
 * Verification happens before anything is parsed; nothing is stored unless every check passes.
 */
@Injectable()
export class WechatWebhookService {
  private readonly cache = new Map<string, { at: number; account: WebhookAccount | undefined }>();
  policy: WindowPolicy = DEFAULT_WINDOW_POLICY;

  constructor(
    @Inject(AccountsRepository) private readonly accountsRepo: AccountsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(IngestRepository) private readonly ingestRepo: IngestRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(AccountChanges) changes: AccountChanges,
    @Inject(InboxEvents) private readonly events: InboxEvents,
  ) {
    // Other instances see a change within ACCOUNT_CACHE_MS; this one at once.
    changes.subscribe((id) => this.forget(id));
  }

  /** Drops the cached config of one account (after an update) or of all. */
  forget(accountId?: string): void {
    if (accountId) this.cache.delete(accountId);
    else this.cache.clear();
  }

  private async account(accountId: string): Promise<WebhookAccount> {
    if (!UUID.test(accountId)) throw new AppError('wechat/unknown_account', 'No linked account has this callback URL');
    const hit = this.cache.get(accountId);
    let account = hit && Date.now() - hit.at < ACCOUNT_CACHE_MS ? hit.account : undefined;
    if (!hit || Date.now() - hit.at >= ACCOUNT_CACHE_MS) {
      const row = await this.accountsRepo.findConfig(accountId);
      if (row) {
        const c = this.accounts.openCredentials(row);
        account = {
          id: row.id,
          appId: row.app_id,
          mode: row.mode,
          disabled: row.status === 'disabled',
          token: c.token,
          aesKeys: [c.encodingAesKey, c.previousEncodingAesKey].filter((k): k is string => !!k).map(decodeAesKey),
        };
      }
      this.cache.set(accountId, { at: Date.now(), account });
    }
    if (!account) throw new AppError('wechat/unknown_account', 'No linked account has this callback URL');
    if (account.disabled) throw new AppError('wechat/account_disabled', 'This account is disabled in the inbox');
    return account;
  }

  private verify(account: WebhookAccount, q: CallbackQuery): void {
    if (!q.timestamp || !q.nonce || !verifySignature(q.signature, account.token, q.timestamp, q.nonce)) {
      this.logger.warn({ accountId: account.id }, 'wechat callback with a bad signature');
      throw new AppError('wechat/bad_signature', "The signature does not match this account's Token");
    }
  }

  /** GET: answers `echostr` when the signature is right. */
  async verifyUrl(accountId: string, q: CallbackQuery): Promise<string> {
    const account = await this.account(accountId);
    this.verify(account, q);
    await this.accountsRepo.markCallbackVerified(account.id);
    return q.echostr ?? '';
  }

  /** POST: verifies, decrypts, parses and stores one push. Resolves only after the commit. */
  async receive(accountId: string, q: CallbackQuery, body: string): Promise<IngestResult> {
    const account = await this.account(accountId);
    this.verify(account, q);
    const outer = this.parse(body);
    let inner = outer;
    let raw = body;
    if (q.encrypt_type === 'aes') {
      const encrypted = outer.Encrypt;
      if (typeof encrypted !== 'string' || !encrypted)
        throw new AppError('wechat/malformed_xml', 'An encrypted push needs an <Encrypt> element');
      if (!verifySignature(q.msg_signature, account.token, q.timestamp ?? '', q.nonce ?? '', encrypted)) {
        this.logger.warn({ accountId: account.id }, 'wechat callback with a bad msg_signature');
        throw new AppError('wechat/bad_signature', "msg_signature does not match this account's Token");
      }
      if (account.aesKeys.length === 0)
        throw new AppError('wechat/bad_key', 'This account has no EncodingAESKey; set one or use plaintext mode');
      try {
        raw = decryptWithKeys(encrypted, account.aesKeys, account.appId).message;
      } catch (err) {
        throw this.cryptoError(err, account.id);
      }
      inner = this.parse(raw);
    } else if (account.mode === 'safe') {
      throw new AppError(
        'wechat/bad_signature',
        'This account is in safe mode: pushes must be encrypted (encrypt_type=aes)',
      );
    }
    let message;
    try {
      message = mapInbound(inner, raw);
    } catch (err) {
      if (err instanceof WechatMessageError) throw new AppError('wechat/malformed_xml', err.message);
      throw err;
    }
    const result = await this.ingestRepo.ingest(account.id, message, raw, this.policy);
    // Committed: tell the rest of the app (realtime fan-out happens off the answer's path).
    if (result.messageId && result.conversationId) {
      this.events.emit('message.created', {
        messageId: result.messageId,
        accountId: account.id,
        conversationId: result.conversationId,
        ...(result.message ? { message: result.message } : {}),
      });
      this.events.emit('conversation.changed', {
        conversationId: result.conversationId,
        accountId: account.id,
        created: result.conversationCreated,
        ...(result.conversation ? { conversation: result.conversation } : {}),
      });
    }
    return result;
  }

  private parse(xml: string): WechatXmlObject {
    try {
      assertNoDoctype(xml);
      return parseWechatXml(xml);
    } catch (err) {
      if (err instanceof WechatXmlError) {
        throw err.reason === 'doctype_forbidden'
          ? new AppError('wechat/doctype_forbidden', 'DOCTYPE and ENTITY declarations are refused')
          : new AppError('wechat/malformed_xml', 'The body is not well-formed WeChat XML');
      }
      throw err;
    }
  }

  private cryptoError(err: unknown, accountId: string): AppError {
    if (!(err instanceof WechatCryptoError)) throw err;
    this.logger.warn({ accountId, reason: err.reason }, 'wechat callback failed decryption');
    switch (err.reason) {
      case 'appid_mismatch':
        return new AppError('wechat/appid_mismatch', 'The message was encrypted for another AppID');
      case 'bad_padding':
        return new AppError('wechat/bad_padding', 'The ciphertext has invalid padding');
      case 'bad_length':
        return new AppError('wechat/bad_length', 'The ciphertext has an invalid length');
      case 'bad_key':
        return new AppError('wechat/bad_key', "The account's EncodingAESKey is invalid");
    }
  }
}
