import type { Role } from './auth';

export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  role: Role;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}
