import type { LoginRequest, LoginResponse, Me } from '@inbox/shared';
import { request } from './http';

export function login(body: LoginRequest): Promise<LoginResponse> {
  return request<LoginResponse>('POST', '/api/auth/login', body);
}

export function logout(): Promise<void> {
  return request<void>('POST', '/api/auth/logout');
}

export function me(): Promise<Me> {
  return request<Me>('GET', '/api/auth/me');
}
