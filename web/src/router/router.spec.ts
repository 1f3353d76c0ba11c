import { describe, expect, it } from 'vitest';
import type { Me } from '@inbox/shared';
import { useAuthStore } from '../stores/auth';
import { jsonResponse, mockFetch } from '../test/fetch';
import { createTestApp } from '../test/mount';
import { safeRedirect } from '.';

const alice: Me = { id: 'u1', email: 'alice@example.com', name: 'Alice', role: 'admin', accountIds: [] };
const noSession = { statusCode: 401, code: 'auth/unauthenticated', message: 'No session' };

describe('auth guard', () => {
  it('loads the session once and sends a signed-out user to /login with the way back', async () => {
    const fetchMock = mockFetch(jsonResponse(401, noSession));
    const { router } = createTestApp();

    await router.push('/?view=all');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/?view=all');

    await router.push('/');
    expect(router.currentRoute.value.name).toBe('login');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('lets a signed-in user into the inbox and away from /login', async () => {
    mockFetch(jsonResponse(200, alice));
    const { router } = createTestApp();

    await router.push('/');
    expect(router.currentRoute.value.name).toBe('inbox');
    expect(useAuthStore().user).toEqual(alice);

    await router.push('/login');
    expect(router.currentRoute.value.name).toBe('inbox');
  });
});

describe('role guard', () => {
  it('keeps agents off the admin screens and lets admins in', async () => {
    mockFetch(jsonResponse(200, { ...alice, role: 'agent' }));
    const { router } = createTestApp();
    await router.push('/admin/accounts');
    expect(router.currentRoute.value.name).toBe('inbox');
    await router.push('/admin/users');
    expect(router.currentRoute.value.name).toBe('inbox');
    // The sandbox phone is for everyone signed in (the page itself says when the sandbox is off).
    await router.push('/sandbox');
    expect(router.currentRoute.value.name).toBe('sandbox');

    useAuthStore().applyMe(alice);
    await router.push('/admin');
    expect(router.currentRoute.value.name).toBe('admin-accounts');
    await router.push('/admin/users');
    expect(router.currentRoute.value.name).toBe('admin-users');
  });

  it('lets supervisors and admins into teams, labels and canned responses, and keeps others out', async () => {
    const screens = ['admin-teams', 'admin-labels', 'admin-canned-responses'];
    const paths = ['/admin/teams', '/admin/labels', '/admin/canned-responses'];
    mockFetch(jsonResponse(200, { ...alice, role: 'supervisor' }));
    const { router } = createTestApp();
    for (const [i, path] of paths.entries()) {
      await router.push(path);
      expect(router.currentRoute.value.name, path).toBe(screens[i]);
    }
    // …but not the admin-only screens; `/admin` takes them to the first screen they may open.
    await router.push('/admin/users');
    expect(router.currentRoute.value.name).toBe('inbox');
    await router.push('/admin');
    expect(router.currentRoute.value.name).toBe('admin-teams');
    await router.push('/');

    for (const role of ['agent', 'manager'] as const) {
      useAuthStore().applyMe({ ...alice, role });
      for (const path of paths) {
        await router.push(path);
        expect(router.currentRoute.value.name, `${role} ${path}`).toBe('inbox');
      }
    }

    useAuthStore().applyMe(alice);
    for (const [i, path] of paths.entries()) {
      await router.push(path);
      expect(router.currentRoute.value.name, path).toBe(screens[i]);
    }
  });

  it('sends a signed-out visitor of an admin screen to /login with the way back', async () => {
    mockFetch(jsonResponse(401, noSession));
    const { router } = createTestApp();
    await router.push('/admin/users');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/admin/users');
  });
});

describe('2FA enrolment guard', () => {
  it('keeps a user who must enrol on the enrolment screen, and lets them go once enrolled', async () => {
    mockFetch(jsonResponse(200, { ...alice, totpEnabled: false, totpEnrolmentRequired: true }));
    const { router } = createTestApp();

    await router.push('/');
    expect(router.currentRoute.value.name).toBe('account-security');
    for (const path of ['/admin/users', '/admin/audit', '/sandbox', '/nowhere']) {
      await router.push(path);
      expect(router.currentRoute.value.name, path).toBe('account-security');
    }
    // Signed in already: /login leads on to the enrolment screen, not the login form.
    await router.push('/login?redirect=/admin/users');
    expect(router.currentRoute.value.name).toBe('account-security');

    useAuthStore().applyTotpEnabled(true);
    await router.push('/admin/audit');
    expect(router.currentRoute.value.name).toBe('admin-audit');
  });

  it('lets everyone signed in open their account security page', async () => {
    mockFetch(jsonResponse(200, { ...alice, role: 'agent' }));
    const { router } = createTestApp();
    await router.push('/account/security');
    expect(router.currentRoute.value.name).toBe('account-security');
    await router.push('/admin/audit');
    expect(router.currentRoute.value.name).toBe('inbox');
  });
});

describe('safeRedirect', () => {
  it.each([
    ['/?view=mine', '/?view=mine'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
  ])('%j -> %s', (value, expected) => {
    expect(safeRedirect(value)).toBe(expected);
  });
});
