import { describe, expect, it } from 'vitest';
import type { User } from '@inbox/shared';
import { initialSelection, memberOptions } from './team-members';

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

const known = [
  user('u1', 'Zhang Wei'),
  user('u2', 'Li Na', { role: 'supervisor' }),
  user('u3', 'Admin', { role: 'admin' }),
  user('u4', 'Gone', { disabled: true }),
  user('u5', 'Manager', { role: 'manager' }),
];

describe('team member options', () => {
  it('admins pick among active agents and supervisors; current members stay whatever they are', () => {
    const options = memberOptions(known, null, ['u3', 'u4']);
    expect(options.map((o) => o.id)).toEqual(['u3', 'u4', 'u2', 'u1']);
    expect(initialSelection(options, ['u3', 'u4'])).toEqual(['u3']);
  });

  it('from account members, users the console cannot name come last by id', () => {
    const options = memberOptions([known[0]!], ['u1', 'x-2', 'x-1'], ['x-9']);
    expect(options.map((o) => [o.id, o.name])).toEqual([
      ['u1', 'Zhang Wei'],
      ['x-9', null],
      ['x-1', null],
      ['x-2', null],
    ]);
  });
});
