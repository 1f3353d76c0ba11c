import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import * as api from '../api/sandbox';
import { ApiError } from '../api/http';
import { makeSandboxAccount, makeSandboxCustomer, makeSandboxInbox } from '../test/sandbox-factories';
import { useSandboxStore } from './sandbox';

vi.mock('../api/sandbox');

const A = makeSandboxAccount({ id: 'acc-1' });
const B = makeSandboxAccount({ id: 'acc-2', name: 'Demo Tea House' });
const WANG = makeSandboxCustomer({ openid: 'oWang', displayName: 'Wang Fang' });
const LI = makeSandboxCustomer({ openid: 'oLi', displayName: 'Li Lei' });

function setup() {
  const store = useSandboxStore();
  store.applyAccounts([A, B]);
  store.select(A.id);
  store.applyCustomers(A.id, [WANG, LI]);
  store.selectCustomer(WANG.openid);
  return store;
}

describe('sandbox store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.listSandboxAccounts).mockReset();
    vi.mocked(api.getSandboxInbox).mockReset();
    vi.mocked(api.createSandboxCustomer).mockReset();
    vi.mocked(api.sendSandboxMessage).mockReset();
  });

  describe('apply actions', () => {
    it('applyAccounts turns the sandbox on and drops a selection that no longer exists', () => {
      const store = setup();
      expect(store.status).toBe('on');
      store.applyAccounts([B]);
      expect(store.accountId).toBeNull();
      expect(store.openid).toBeNull();
      expect(store.account).toBeNull();
    });

    it('applyAccounts keeps a selection that still exists', () => {
      const store = setup();
      store.applyAccounts([A]);
      expect(store.accountId).toBe(A.id);
      expect(store.customer?.openid).toBe(WANG.openid);
    });

    it('applyOff forgets everything', () => {
      const store = setup();
      store.applyOff();
      expect(store.status).toBe('off');
      expect(store.accounts).toEqual([]);
      expect(store.customersOfAccount).toEqual([]);
      expect(store.accountId).toBeNull();
    });

    it('applyCustomer adds a new customer and replaces a known one', () => {
      const store = setup();
      store.applyCustomer(A.id, makeSandboxCustomer({ openid: 'oNew', displayName: 'New' }));
      store.applyCustomer(A.id, { ...WANG, subscribed: false });
      expect(store.customersOfAccount.map((c) => [c.openid, c.subscribed])).toEqual([
        ['oWang', false],
        ['oLi', true],
        ['oNew', true],
      ]);
      store.applyCustomer(B.id, LI);
      expect(store.customers[B.id]).toEqual([LI]);
    });

    it('applyInbox shows the phone of the customer played, and updates what is known of the customer', () => {
      const store = setup();
      const window = { remaining: 4, expiresAt: '2025-01-03T10:00:00.000Z' };
      const inbox = makeSandboxInbox({
        accountId: A.id,
        customer: { ...WANG, window },
        items: [{ kind: 'received', at: '2025-01-01T10:00:00.000Z', msgtype: 'text', text: 'Hello', message: {} }],
      });
      store.applyInbox(inbox);
      expect(store.inbox).toEqual(inbox);
      expect(store.items).toHaveLength(1);
      expect(store.customer?.window).toEqual(window);
    });

    it('applyInbox ignores a late answer for another customer, but keeps what it says about them', () => {
      const store = setup();
      store.applyInbox(makeSandboxInbox({ accountId: A.id, customer: { ...LI, subscribed: false } }));
      expect(store.inbox).toBeNull();
      expect(store.customersOfAccount.find((c) => c.openid === LI.openid)?.subscribed).toBe(false);
      store.applyInbox(makeSandboxInbox({ accountId: B.id, customer: WANG }));
      expect(store.inbox).toBeNull();
    });

    it('selecting another account or customer clears the phone', () => {
      const store = setup();
      store.applyInbox(makeSandboxInbox({ accountId: A.id, customer: WANG }));
      store.selectCustomer(LI.openid);
      expect(store.inbox).toBeNull();
      store.applyInbox(makeSandboxInbox({ accountId: A.id, customer: LI }));
      store.select(B.id);
      expect(store.openid).toBeNull();
      expect(store.inbox).toBeNull();
    });
  });

  describe('probe', () => {
    it('is on when the control API answers, and asks only once', async () => {
      vi.mocked(api.listSandboxAccounts).mockResolvedValue([A]);
      const store = useSandboxStore();
      const [first, second] = await Promise.all([store.probe(), store.probe()]);
      expect([first, second]).toEqual(['on', 'on']);
      expect(await store.probe()).toBe('on');
      expect(api.listSandboxAccounts).toHaveBeenCalledTimes(1);
      expect(store.accounts).toEqual([A]);
    });

    it('is off when the control API is not there (404)', async () => {
      vi.mocked(api.listSandboxAccounts).mockRejectedValue(new ApiError(404, 'http/not_found', 'No route'));
      const store = useSandboxStore();
      expect(await store.probe()).toBe('off');
      expect(store.status).toBe('off');
    });

    it('stays unknown (and throws) when the server cannot be reached, so a later probe asks again', async () => {
      vi.mocked(api.listSandboxAccounts).mockRejectedValueOnce(new ApiError(0, 'http/unavailable', 'down'));
      const store = useSandboxStore();
      await expect(store.probe()).rejects.toBeInstanceOf(ApiError);
      expect(store.status).toBe('unknown');
      vi.mocked(api.listSandboxAccounts).mockResolvedValueOnce([A]);
      expect(await store.probe()).toBe('on');
    });
  });

  describe('actions', () => {
    it('createCustomer plays the new customer', async () => {
      const store = setup();
      const created = makeSandboxCustomer({ openid: 'oZhao', displayName: 'Zhao Min' });
      vi.mocked(api.createSandboxCustomer).mockResolvedValue(created);
      await store.createCustomer('  Zhao Min ');
      expect(api.createSandboxCustomer).toHaveBeenCalledWith(A.id, { displayName: 'Zhao Min' });
      expect(store.openid).toBe('oZhao');
      expect(store.customer).toEqual(created);
    });

    it('sendMessage sends as the customer played, then refreshes the phone (also when the send failed)', async () => {
      const store = setup();
      const inbox = makeSandboxInbox({ accountId: A.id, customer: WANG });
      vi.mocked(api.getSandboxInbox).mockResolvedValue(inbox);
      vi.mocked(api.sendSandboxMessage).mockRejectedValueOnce(new ApiError(400, 'validation/failed', 'not following'));
      await expect(store.sendMessage({ type: 'text', text: 'Hi' })).rejects.toBeInstanceOf(ApiError);
      expect(api.sendSandboxMessage).toHaveBeenCalledWith(A.id, WANG.openid, { type: 'text', text: 'Hi' });
      expect(api.getSandboxInbox).toHaveBeenCalledWith(A.id, WANG.openid);
      expect(store.inbox).toEqual(inbox);
    });

    it('refreshInbox does nothing without a customer', async () => {
      const store = useSandboxStore();
      await store.refreshInbox();
      expect(api.getSandboxInbox).not.toHaveBeenCalled();
    });
  });
});
