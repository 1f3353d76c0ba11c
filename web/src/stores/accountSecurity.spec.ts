import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { Me, SessionInfo } from '@inbox/shared';
import { jsonResponse, mockFetch, sentBody } from '../test/fetch';
import { useAccountSecurityStore } from './accountSecurity';
import { useAuthStore } from './auth';

const alice: Me = {
  id: 'u1',
  email: 'alice@example.com',
  name: 'Alice',
  role: 'admin',
  accountIds: [],
  totpEnabled: false,
  totpEnrolmentRequired: true,
};

const codes = Array.from({ length: 10 }, (_, i) => `code-${i}`);
const setup = { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrDataUrl: 'data:image/png;base64,AAAA' };

function session(id: string, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id,
    device: `Chrome on ${id}`,
    userAgent: null,
    ip: '10.0.0.1',
    createdAt: '2026-01-01T00:00:00.000Z',
    lastSeenAt: '2026-01-02T00:00:00.000Z',
    current: false,
    ...overrides,
  };
}

describe('account security store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
  });

  it('enrols: keeps the setup until confirmed, then holds the recovery codes once', async () => {
    const fetchMock = mockFetch(jsonResponse(200, setup), jsonResponse(200, { recoveryCodes: codes }));
    const auth = useAuthStore();
    auth.applyMe(alice);
    const store = useAccountSecurityStore();

    await store.startEnrolment();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/totp/setup');
    expect(store.setup).toEqual(setup);

    await store.confirmEnrolment(' 123 456 ');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/auth/totp/enable');
    expect(sentBody(fetchMock, 1)).toEqual({ code: '123456' });
    expect(store.recoveryCodes).toEqual(codes);
    expect(store.setup).toBeNull();
    expect(auth.user?.totpEnabled).toBe(true);
    expect(auth.enrolmentRequired).toBe(false);

    store.dismissRecoveryCodes();
    expect(store.recoveryCodes).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('a wrong code leaves the setup pending and shows no codes', async () => {
    mockFetch(
      jsonResponse(200, setup),
      jsonResponse(401, { statusCode: 401, code: 'auth/totp_invalid', message: 'Wrong code' }),
    );
    useAuthStore().applyMe(alice);
    const store = useAccountSecurityStore();
    await store.startEnrolment();
    await expect(store.confirmEnrolment('000000')).rejects.toMatchObject({ code: 'auth/totp_invalid' });
    expect(store.setup).toEqual(setup);
    expect(store.recoveryCodes).toBeNull();
    expect(useAuthStore().enrolmentRequired).toBe(true);
  });

  it('lists sessions with this device first, revokes one and then all the others', async () => {
    const fetchMock = mockFetch(
      jsonResponse(200, [
        session('s1'),
        session('s2', { current: true, lastSeenAt: '2026-01-01T00:00:00.000Z' }),
        session('s3', { lastSeenAt: '2026-01-03T00:00:00.000Z' }),
      ]),
      new Response(null, { status: 204 }),
      jsonResponse(200, { revoked: 1 }),
    );
    const store = useAccountSecurityStore();

    await store.loadSessions();
    expect(store.sortedSessions.map((s) => s.id)).toEqual(['s2', 's3', 's1']);

    await store.revokeSession('s3');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/auth/sessions/s3');
    expect(fetchMock.mock.calls[1]?.[1]?.method).toBe('DELETE');
    expect(store.sessions.map((s) => s.id)).toEqual(['s1', 's2']);

    await expect(store.revokeOthers()).resolves.toBe(1);
    expect(fetchMock.mock.calls[2]?.[0]).toBe('/api/auth/sessions/revoke-others');
    expect(store.sessions.map((s) => s.id)).toEqual(['s2']);
  });

  it('keeps a session a failed revoke could not end', async () => {
    mockFetch(
      jsonResponse(200, [session('s1')]),
      jsonResponse(404, { statusCode: 404, code: 'http/not_found', message: 'gone' }),
    );
    const store = useAccountSecurityStore();
    await store.loadSessions();
    await expect(store.revokeSession('s1')).rejects.toMatchObject({ code: 'http/not_found' });
    expect(store.sessions).toHaveLength(1);
  });
});
