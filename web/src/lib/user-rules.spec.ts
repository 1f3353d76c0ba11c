import { describe, expect, it } from 'vitest';
import { emptyUserForm, toCreateUserRequest, userFieldProblem } from './user-rules';

describe('user form rules', () => {
  const form = { name: 'Li Na', email: 'li.na@example.com', role: 'agent' as const, password: 'agent-pass-7f3k2' };

  it('accepts a complete user', () => {
    for (const field of ['name', 'email', 'role', 'password'] as const)
      expect(userFieldProblem(field, form)).toBeNull();
  });

  it('needs a name, an email address and a password of at least 10 characters (the server’s minimum)', () => {
    const empty = emptyUserForm();
    expect(userFieldProblem('name', empty)).toBe('nameRequired');
    expect(userFieldProblem('email', { ...form, email: 'li.na' })).toBe('email');
    expect(userFieldProblem('password', { ...form, password: '123456789' })).toBe('passwordShort');
    expect(userFieldProblem('password', { ...form, password: '1234567890' })).toBeNull();
  });

  it('trims the name and email, never the password', () => {
    expect(
      toCreateUserRequest({ ...form, name: ' Li Na ', email: ' li.na@example.com ', password: ' pass phrase ' }),
    ).toEqual({
      name: 'Li Na',
      email: 'li.na@example.com',
      role: 'agent',
      password: ' pass phrase ',
    });
  });
});
