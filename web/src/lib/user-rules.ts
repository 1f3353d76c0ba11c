import type { CreateUserRequest, Role } from '@inbox/shared';

/** The server's rules for a new user (server/src/users/users.dto.ts and the password policy's length). */
export const PASSWORD_MIN_LENGTH = 10;
export const USER_NAME_MAX_LENGTH = 100;
/** A pragmatic shape check; the server has the last word (class-validator's IsEmail). */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface UserFormValues {
  name: string;
  email: string;
  role: Role;
  password: string;
}

export type UserField = keyof UserFormValues;
export type UserProblem = 'nameRequired' | 'email' | 'passwordShort';

export function emptyUserForm(): UserFormValues {
  return { name: '', email: '', role: 'agent', password: '' };
}

export function userFieldProblem(field: UserField, v: UserFormValues): UserProblem | null {
  switch (field) {
    case 'name': {
      const name = v.name.trim();
      return name === '' || name.length > USER_NAME_MAX_LENGTH ? 'nameRequired' : null;
    }
    case 'email':
      return EMAIL.test(v.email.trim()) && v.email.trim().length <= 320 ? null : 'email';
    case 'password':
      return v.password.length >= PASSWORD_MIN_LENGTH ? null : 'passwordShort';
    case 'role':
      return null;
  }
}

export function toCreateUserRequest(v: UserFormValues): CreateUserRequest {
  return { name: v.name.trim(), email: v.email.trim(), role: v.role, password: v.password };
}
