import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import * as api from '../api/cannedResponses';
import { ApiError } from '../api/http';
import { makeCannedResponse } from '../test/catalog-factories';
import { cannedForAccount, searchCanned, useCannedResponsesStore } from './cannedResponses';

vi.mock('../api/cannedResponses');

const replies = [
  makeCannedResponse('c1', 'thanks', 'Thank you for waiting!'),
  makeCannedResponse('c2', 'hours', 'We are open 9:00–18:00.', { accountId: 'acc-1' }),
  makeCannedResponse('c3', 'hours', 'Open around the clock.'),
  makeCannedResponse('c4', 'refund', 'Refunds take 3 working days.', { accountId: 'acc-2' }),
  makeCannedResponse('c5', 'address', 'Our shop: 88 Nanjing Road.'),
  makeCannedResponse('c6', 'shop-hours', 'The shop closes at 20:00.', { accountId: 'acc-1' }),
];

describe('canned responses: pure helpers', () => {
  it('forAccount gives the global replies and the account’s own, by shortcut, the account’s first on a tie', () => {
    expect(cannedForAccount(replies, 'acc-1').map((c) => c.id)).toEqual(['c5', 'c2', 'c3', 'c6', 'c1']);
    expect(cannedForAccount(replies, 'acc-2').map((c) => c.id)).toEqual(['c5', 'c3', 'c4', 'c1']);
    expect(cannedForAccount(replies, 'acc-9').map((c) => c.id)).toEqual(['c5', 'c3', 'c1']);
  });

  it('search ranks shortcut prefixes, then shortcuts containing the text, then the reply text', () => {
    // "Our shop" has "ho" only in its text: last.
    expect(searchCanned(replies, 'acc-1', 'ho').map((c) => c.id)).toEqual(['c2', 'c3', 'c6', 'c5']);
    expect(searchCanned(replies, 'acc-1', 'shop').map((c) => c.id)).toEqual(['c6', 'c5']);
    expect(searchCanned(replies, 'acc-1', '/SHOP ').map((c) => c.id)).toEqual(['c6', 'c5']);
    // acc-2 never sees acc-1's "shop-hours".
    expect(searchCanned(replies, 'acc-2', 'shop').map((c) => c.id)).toEqual(['c5']);
    expect(searchCanned(replies, 'acc-1', 'refund')).toEqual([]);
    expect(searchCanned(replies, 'acc-1', '')).toEqual(cannedForAccount(replies, 'acc-1'));
  });

  it('does not reorder the list it is given', () => {
    const copy = [...replies];
    searchCanned(copy, 'acc-1', 'h');
    expect(copy).toEqual(replies);
  });
});

describe('canned responses store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.listCannedResponses).mockReset();
    vi.mocked(api.createCannedResponse).mockReset();
    vi.mocked(api.updateCannedResponse).mockReset();
    vi.mocked(api.deleteCannedResponse).mockReset();
  });

  it('load, create, update and remove keep the list in step with the server’s answers', async () => {
    const store = useCannedResponsesStore();
    vi.mocked(api.listCannedResponses).mockResolvedValue(replies.slice(0, 3));
    await store.load();
    expect(api.listCannedResponses).toHaveBeenCalledWith();
    vi.mocked(api.createCannedResponse).mockResolvedValue(replies[3]!);
    await store.create({ accountId: 'acc-2', shortcut: 'refund', text: 'Refunds take 3 working days.' });
    vi.mocked(api.updateCannedResponse).mockResolvedValue({ ...replies[0]!, text: 'Thanks!' });
    await store.update('c1', { accountId: null, shortcut: 'thanks', text: 'Thanks!' });
    vi.mocked(api.deleteCannedResponse).mockRejectedValueOnce(new ApiError(404, 'canned_responses/not_found', 'x'));
    await store.remove('c3');
    expect(store.sorted.map((c) => [c.id, c.text])).toEqual([
      ['c2', 'We are open 9:00–18:00.'],
      ['c4', 'Refunds take 3 working days.'],
      ['c1', 'Thanks!'],
    ]);
    expect(store.forAccount('acc-1').map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(store.search('acc-2', 'ref').map((c) => c.id)).toEqual(['c4']);
    store.reset();
    expect(store.items).toEqual([]);
    expect(store.loaded).toBe(false);
  });
});
