import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Account } from '@inbox/shared';
import * as api from '../api/accounts';
import { ApiError } from '../api/http';
import { useAccountsStore } from './accounts';

vi.mock('../api/accounts');

function account(id: string, name: string, overrides: Partial<Account> = {}): Account {
  return {
    id,
    kind: 'wechat_oa',
    name,
    appId: 'wx0123456789abcdef',
    originalId: 'gh_0123456789ab',
    mode: 'safe',
    status: 'active',
    callbackUrl: `https://inbox.example.com/webhooks/wechat/${id}`,
    secrets: { appSecret: 'set', token: 'set', encodingAesKey: 'set', previousEncodingAesKey: 'not set' },
    health: {
      callbackVerifiedAt: null,
      lastMessageAt: null,
      tokenState: 'none',
      tokenExpiresAt: null,
      credentialsError: null,
      lastApiErrorCode: null,
      lastApiErrorAt: null,
      sendsToday: 0,
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('accounts store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.getAccountMembers).mockReset();
    vi.mocked(api.setAccountMembers).mockReset();
    vi.mocked(api.deleteAccount).mockReset();
  });

  it('applyAccount adds a new account and replaces a changed one in place', () => {
    const store = useAccountsStore();
    store.applyAccounts([account('a', 'Beta'), account('b', 'Alpha')]);
    store.applyAccount(account('c', 'Gamma'));
    store.applyAccount(account('a', 'Beta', { status: 'disabled' }));
    expect(store.accounts.map((a) => [a.id, a.status])).toEqual([
      ['a', 'disabled'],
      ['b', 'active'],
      ['c', 'active'],
    ]);
    expect(store.sorted.map((a) => a.name)).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(store.nameOf('c')).toBe('Gamma');
  });

  it('applyAccountRemoved drops the account and what is known of its members', () => {
    const store = useAccountsStore();
    store.applyAccounts([account('a', 'Alpha'), account('b', 'Beta')]);
    store.applyMembers('a', ['u1']);
    store.applyAccountRemoved('a');
    expect(store.accounts.map((a) => a.id)).toEqual(['b']);
    expect(store.members).toEqual({});
  });

  it('applyMembers keeps each user once', () => {
    const store = useAccountsStore();
    store.applyMembers('a', ['u1', 'u2', 'u1']);
    expect(store.members.a).toEqual(['u1', 'u2']);
  });

  it('loadMembers answers null when the server cannot tell the members (no such endpoint)', async () => {
    vi.mocked(api.getAccountMembers).mockRejectedValue(new ApiError(404, 'http/not_found', 'No route'));
    const store = useAccountsStore();
    expect(await store.loadMembers('a')).toBeNull();
    // …but what was saved here is still known.
    vi.mocked(api.setAccountMembers).mockResolvedValue({ userIds: ['u2'] });
    await store.saveMembers('a', ['u2']);
    expect(await store.loadMembers('a')).toEqual(['u2']);
  });

  it('loadMembers takes the server’s list, and throws for an unknown account', async () => {
    vi.mocked(api.getAccountMembers).mockResolvedValueOnce({ userIds: ['u1'] });
    const store = useAccountsStore();
    expect(await store.loadMembers('a')).toEqual(['u1']);
    vi.mocked(api.getAccountMembers).mockRejectedValueOnce(new ApiError(404, 'accounts/not_found', 'No such account'));
    await expect(store.loadMembers('zzz')).rejects.toBeInstanceOf(ApiError);
  });

  it('remove also forgets an account that was already deleted elsewhere', async () => {
    vi.mocked(api.deleteAccount).mockRejectedValue(new ApiError(404, 'accounts/not_found', 'No such account'));
    const store = useAccountsStore();
    store.applyAccounts([account('a', 'Alpha')]);
    await store.remove('a');
    expect(store.accounts).toEqual([]);
  });
});
