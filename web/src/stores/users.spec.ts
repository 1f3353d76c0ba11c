import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { User } from '@inbox/shared';
import * as api from '../api/users';
import { useUsersStore } from './users';

vi.mock('../api/users');

function user(id: string, name: string, overrides: Partial<User> = {}): User {
  return {
    id,
    email: `${id}@example.com`,
    name,
    role: 'agent',
    disabled: false,
    totpEnabled: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('users store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.createUser).mockReset();
    vi.mocked(api.updateUser).mockReset();
  });

  it('applyUser adds a new user and replaces a changed one', () => {
    const store = useUsersStore();
    store.applyUsers([user('u1', 'Zhang Wei'), user('u2', 'Li Na')]);
    store.applyUser(user('u3', 'Ann'));
    store.applyUser(user('u1', 'Zhang Wei', { disabled: true }));
    expect(store.users.map((u) => [u.id, u.disabled])).toEqual([
      ['u1', true],
      ['u2', false],
      ['u3', false],
    ]);
    expect(store.sorted.map((u) => u.name)).toEqual(['Ann', 'Li Na', 'Zhang Wei']);
    expect(store.nameOf('u2')).toBe('Li Na');
  });

  it('create and update keep the list in step with the server’s answers', async () => {
    const store = useUsersStore();
    vi.mocked(api.createUser).mockResolvedValue(user('u9', 'New'));
    await store.create({ name: 'New', email: 'u9@example.com', role: 'agent', password: 'long-enough-1' });
    vi.mocked(api.updateUser).mockResolvedValue(user('u9', 'New', { role: 'supervisor' }));
    await store.update('u9', { role: 'supervisor' });
    expect(store.byId.u9?.role).toBe('supervisor');
    expect(store.users).toHaveLength(1);
  });

  it('names colleagues for everyone and offers as assignees only those who see the account', () => {
    const store = useUsersStore();
    store.applyColleagues([
      { id: 'c1', name: 'Wang Fang', role: 'agent', accountIds: ['accA'] },
      { id: 'c2', name: 'Chen Jie', role: 'supervisor', accountIds: ['accA', 'accB'] },
      { id: 'c3', name: 'Boss', role: 'manager', accountIds: ['accA', 'accB'] },
      { id: 'c4', name: 'Ann Admin', role: 'admin', accountIds: ['accA', 'accB'] },
      { id: 'c5', name: 'Bo', role: 'agent', accountIds: ['accB'] },
    ]);
    expect(store.nameOf('c1')).toBe('Wang Fang');
    expect(store.nameOf('nobody')).toBeUndefined();
    expect(store.assigneesFor('accA').map((c) => c.id)).toEqual(['c4', 'c2', 'c1']);
    expect(store.assigneesFor('accB').map((c) => c.id)).toEqual(['c4', 'c5', 'c2']);
    store.applyUsers([user('c1', 'Wang Fang (admin view)')]);
    expect(store.nameOf('c1')).toBe('Wang Fang (admin view)');
    store.reset();
    expect(store.nameOf('c2')).toBeUndefined();
  });
});
