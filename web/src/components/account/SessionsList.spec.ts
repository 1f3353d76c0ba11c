import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { SessionInfo } from '@inbox/shared';
import { useAuthStore } from '../../stores/auth';
import { jsonResponse, mockFetch } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import SessionsList from './SessionsList.vue';

function session(id: string, overrides: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id,
    device: `Firefox ${id}`,
    userAgent: 'Mozilla/5.0',
    ip: '192.0.2.7',
    createdAt: '2026-01-01T00:00:00.000Z',
    lastSeenAt: '2026-01-02T00:00:00.000Z',
    current: false,
    ...overrides,
  };
}

describe('SessionsList', () => {
  let wrapper: VueWrapper | undefined;

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
  });

  it('tags this device and revokes another session', async () => {
    const fetchMock = mockFetch(
      jsonResponse(200, [session('s1'), session('s2', { current: true })]),
      new Response(null, { status: 204 }),
    );
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u1', email: 'a@example.com', name: 'A', role: 'agent', accountIds: [] });
    wrapper = mount(SessionsList, { global: { plugins: app.plugins }, attachTo: document.body });
    await flushPromises();

    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/auth/sessions');
    const rows = wrapper.findAll('[data-test="session-row"]');
    expect(rows.map((r) => r.attributes('data-id'))).toEqual(['s2', 's1']);
    expect(rows[0]?.find('[data-test="session-current"]').text()).toBe('This device');
    expect(rows[0]?.find('[data-test="session-revoke"]').exists()).toBe(false);
    expect(rows[1]?.text()).toContain('192.0.2.7');

    await rows[1]?.find('[data-test="session-revoke"]').trigger('click');
    await flushPromises();

    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/auth/sessions/s1');
    expect(fetchMock.mock.calls[1]?.[1]?.method).toBe('DELETE');
    expect(wrapper.findAll('[data-test="session-row"]').map((r) => r.attributes('data-id'))).toEqual(['s2']);
    // Only this device is left: no "sign out everywhere else".
    expect(wrapper.find('[data-test="sessions-revoke-others"]').exists()).toBe(false);
  });

  it('signs out everywhere else', async () => {
    const fetchMock = mockFetch(
      jsonResponse(200, [session('s1'), session('s2', { current: true }), session('s3')]),
      jsonResponse(200, { revoked: 2 }),
    );
    const app = createTestApp();
    useAuthStore().applyMe({ id: 'u1', email: 'a@example.com', name: 'A', role: 'agent', accountIds: [] });
    wrapper = mount(SessionsList, { global: { plugins: app.plugins }, attachTo: document.body });
    await flushPromises();

    await wrapper.find('[data-test="sessions-revoke-others"]').trigger('click');
    await flushPromises();

    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/auth/sessions/revoke-others');
    expect(wrapper.findAll('[data-test="session-row"]').map((r) => r.attributes('data-id'))).toEqual(['s2']);
  });
});
