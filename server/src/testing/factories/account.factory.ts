import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AccountMode } from '@inbox/shared';
import { AccountsService } from '../../accounts/accounts.service';
import type { PushTarget } from '../../channels/wechat/wechat-push.builder';

const alnum = (n: number) => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(n), (b) => chars[b % chars.length]).join('');
};

export interface MadeAccount extends PushTarget {
  id: string;
  appSecret: string;
  name: string;
}

/** Valid, random Official Account settings as an admin would paste them. */
export function accountInput(mode: AccountMode = 'safe', over: Partial<Record<string, string>> = {}) {
  return {
    kind: 'wechat_oa' as const,
    name: over.name ?? `OA ${randomBytes(2).toString('hex')}`,
    appId: over.appId ?? `wx${randomBytes(8).toString('hex')}`,
    appSecret: over.appSecret ?? alnum(32),
    token: over.token ?? alnum(20),
    encodingAesKey: over.encodingAesKey ?? alnum(43),
    mode,
    originalId: over.originalId ?? `gh_${randomBytes(6).toString('hex')}`,
  };
}

/** Links an account through the service (secrets sealed exactly as the API does); takes the app or the service. */
export async function newAccount(
  app: INestApplication | AccountsService,
  mode: AccountMode = 'safe',
  over: Partial<Record<string, string>> = {},
): Promise<MadeAccount> {
  const input = accountInput(mode, over);
  const service = app instanceof AccountsService ? app : app.get(AccountsService);
  const account = await service.create(input);
  return {
    id: account.id,
    name: input.name,
    appId: input.appId,
    appSecret: input.appSecret,
    token: input.token,
    encodingAesKey: input.encodingAesKey,
    originalId: input.originalId,
    mode,
  };
}
