import type { Role } from './auth';

export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** `PATCH /api/users/:id` (admin). Disabling revokes every session of the user. */
export interface UpdateUserRequest {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

/** `POST /api/users/:id/password` (admin reset). Revokes every session of the user. */
export interface ResetPasswordRequest {
  password: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: string;
}
