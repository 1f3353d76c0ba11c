import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Me } from '@inbox/shared';
import * as authApi from '../api/auth';
import { ApiError } from '../api/http';
import { useAuthStore } from './auth';

vi.mock('../api/auth');

const alice: Me = { id: 'u1', email: 'alice@example.com', name: 'Alice', role: 'agent', accountIds: ['a1'] };

describe('useAuthStore', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(authApi.me).mockReset();
    vi.mocked(authApi.login).mockReset();
    vi.mocked(authApi.logout).mockReset();
  });

  it('starts signed out and not loaded', () => {
    const auth = useAuthStore();
    expect(auth.user).toBeNull();
    expect(auth.loaded).toBe(false);
  });

  it('applyMe sets the user and marks the session loaded', () => {
    const auth = useAuthStore();
    auth.applyMe(alice);
    expect(auth.user).toEqual(alice);
    expect(auth.loaded).toBe(true);

    auth.applyMe(null);
    expect(auth.user).toBeNull();
    expect(auth.loaded).toBe(true);
  });

  it('load keeps the user the server reports', async () => {
    vi.mocked(authApi.me).mockResolvedValue(alice);
    const auth = useAuthStore();

    await auth.load();

    expect(auth.user).toEqual(alice);
    expect(auth.loaded).toBe(true);
  });

  it('load treats a 401 as no session', async () => {
    vi.mocked(authApi.me).mockRejectedValue(new ApiError(401, 'auth/unauthenticated', 'No session'));
    const auth = useAuthStore();
    auth.applyMe(alice);

    await auth.load();

    expect(auth.user).toBeNull();
    expect(auth.loaded).toBe(true);
  });

  it('concurrent loads share one request', async () => {
    vi.mocked(authApi.me).mockResolvedValue(alice);
    const auth = useAuthStore();

    await Promise.all([auth.load(), auth.load()]);

    expect(authApi.me).toHaveBeenCalledTimes(1);
  });

  it('login stores the user from the answer', async () => {
    vi.mocked(authApi.login).mockResolvedValue({ user: alice });
    const auth = useAuthStore();

    await expect(auth.login({ email: alice.email, password: 'pw' })).resolves.toEqual(alice);

    expect(authApi.login).toHaveBeenCalledWith({ email: alice.email, password: 'pw' });
    expect(auth.user).toEqual(alice);
  });

  it('login passes the server error on and stays signed out', async () => {
    vi.mocked(authApi.login).mockRejectedValue(new ApiError(401, 'auth/totp_required', 'TOTP needed'));
    const auth = useAuthStore();

    await expect(auth.login({ email: alice.email, password: 'pw' })).rejects.toMatchObject({
      code: 'auth/totp_required',
    });
    expect(auth.user).toBeNull();
  });

  it('logout clears the user even when the server call fails', async () => {
    vi.mocked(authApi.logout).mockRejectedValue(new ApiError(503, 'http/unavailable', 'down'));
    const auth = useAuthStore();
    auth.applyMe(alice);

    await expect(auth.logout()).rejects.toBeInstanceOf(ApiError);
    expect(auth.user).toBeNull();
  });
});
