import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { AuditEntry } from '@inbox/shared';
import { emptyAuditFilters } from '../lib/audit-filters';
import { jsonResponse, mockFetch } from '../test/fetch';
import { useAuditStore } from './audit';

function entry(id: string): AuditEntry {
  return {
    id,
    at: '2026-01-01T00:00:00.000Z',
    actorId: null,
    actorEmail: 'a@example.com',
    action: 'auth.login_ok',
    targetType: null,
    targetId: null,
    ip: null,
    details: {},
  };
}

function query(url: unknown): Record<string, string> {
  const text = String(url);
  expect(text.startsWith('/api/audit')).toBe(true);
  return Object.fromEntries(new URLSearchParams(text.split('?')[1] ?? ''));
}

describe('audit store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  it('loads with the filters and pages on with the cursor under the same filters', async () => {
    const fetchMock = mockFetch(
      jsonResponse(200, { items: [entry('3'), entry('2')], nextCursor: 'c1' }),
      jsonResponse(200, { items: [entry('2'), entry('1')], nextCursor: null }),
    );
    const store = useAuditStore();
    const filters = { ...emptyAuditFilters(), action: 'user.created' as const, targetType: 'user' };

    await store.load(filters);
    expect(query(fetchMock.mock.calls[0]?.[0])).toEqual({ action: 'user.created', targetType: 'user', limit: '50' });
    expect(store.nextCursor).toBe('c1');

    filters.targetType = 'changed after the search';
    await store.loadMore();
    expect(query(fetchMock.mock.calls[1]?.[0])).toEqual({
      action: 'user.created',
      targetType: 'user',
      cursor: 'c1',
      limit: '50',
    });
    expect(store.entries.map((e) => e.id)).toEqual(['3', '2', '1']);
    expect(store.nextCursor).toBeNull();

    await store.loadMore(); // nothing more to load: no request
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('a new search replaces the entries', () => {
    const store = useAuditStore();
    store.applyPage({ items: [entry('1')], nextCursor: 'x' }, false);
    store.applyPage({ items: [entry('9')], nextCursor: null }, false);
    expect(store.entries.map((e) => e.id)).toEqual(['9']);
    expect(store.nextCursor).toBeNull();
  });
});
