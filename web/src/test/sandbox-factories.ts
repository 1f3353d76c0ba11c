import type { SandboxAccount, SandboxCustomer, SandboxInbox } from '@inbox/shared';

export function makeSandboxAccount(overrides: Partial<SandboxAccount> = {}): SandboxAccount {
  return {
    id: 'acc-1',
    name: 'Harbour Coffee',
    appId: 'wx0123456789abcdef',
    originalId: 'gh_0123456789ab',
    mode: 'safe',
    status: 'active',
    callbackUrl: 'http://127.0.0.1:3000/webhooks/wechat/acc-1',
    customers: 0,
    ...overrides,
  };
}

export function makeSandboxCustomer(overrides: Partial<SandboxCustomer> = {}): SandboxCustomer {
  return {
    openid: 'oCustomer1',
    displayName: 'Wang Fang',
    subscribed: true,
    window: null,
    ...overrides,
  };
}

export function makeSandboxInbox(overrides: Partial<SandboxInbox> = {}): SandboxInbox {
  return { accountId: 'acc-1', customer: makeSandboxCustomer(), items: [], ...overrides };
}
