import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { ElMessageBox } from 'element-plus';
import { makeTeam } from '../test/catalog-factories';
import { routeFetch, signInAs } from '../test/dialog';
import { jsonResponse } from '../test/fetch';
import { createTestApp } from '../test/mount';
import AdminTeamsView from './AdminTeamsView.vue';

const sandboxOff = () => jsonResponse(404, { statusCode: 404, code: 'http/not_found', message: 'No route' });

describe('AdminTeamsView', () => {
  let wrapper: VueWrapper | undefined;

  async function mountView() {
    const app = createTestApp();
    signInAs('supervisor', { name: 'Sue' });
    await app.router.push('/admin/teams');
    wrapper = mount(AdminTeamsView, { global: { plugins: app.plugins }, attachTo: document.body });
    await flushPromises();
    await flushPromises();
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('shows a supervisor the teams by name with their member counts, and only the screens they may open', async () => {
    const fetchMock = routeFetch({
      'GET /api/sandbox/accounts': sandboxOff,
      'GET /api/teams': () =>
        jsonResponse(200, [makeTeam('t2', 'Sales', { memberIds: ['me', 'u2', 'u3'] }), makeTeam('t1', 'Billing')]),
    });
    const w = await mountView();
    const rows = w.findAll('[data-test="team-row"]');
    expect(
      rows.map((r) => [r.find('[data-test="team-row-name"]').text(), r.find('[data-test="team-row-count"]').text()]),
    ).toEqual([
      ['Billing', '0'],
      ['Sales', '3'],
    ]);
    // A supervisor may not list users: only their own name is known.
    expect(rows[1]?.text()).toContain('Sue');
    expect(fetchMock.mock.calls.some(([path]) => path === '/api/users')).toBe(false);
    const nav = w.findAll('[data-test^="nav-admin-"]').map((a) => a.attributes('data-test'));
    expect(nav).toEqual(['nav-admin-teams', 'nav-admin-labels', 'nav-admin-canned-responses']);
  });

  it('deletes a team only once confirmed', async () => {
    const fetchMock = routeFetch({
      'GET /api/sandbox/accounts': sandboxOff,
      'GET /api/teams': () => jsonResponse(200, [makeTeam('t1', 'Billing'), makeTeam('t2', 'Sales')]),
      'DELETE /api/teams/t1': () => new Response(null, { status: 204 }),
    });
    const confirm = vi.spyOn(ElMessageBox, 'confirm');
    const w = await mountView();
    const deleteButton = () => w.find('[data-id="t1"] [data-test="team-row-delete"]');

    confirm.mockRejectedValueOnce('cancel');
    await deleteButton().trigger('click');
    await flushPromises();
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false);
    expect(w.findAll('[data-test="team-row"]')).toHaveLength(2);

    confirm.mockResolvedValueOnce('confirm' as never); // Element Plus types the answer as an impossible intersection
    await deleteButton().trigger('click');
    await flushPromises();
    expect(confirm.mock.calls[1]?.[0]).toContain('Billing');
    expect(fetchMock.mock.calls.filter(([, init]) => init?.method === 'DELETE')).toHaveLength(1);
    expect(w.findAll('[data-test="team-row"]').map((r) => r.attributes('data-id'))).toEqual(['t2']);
  });

  it('offers a retry when the teams cannot be loaded', async () => {
    let fail = true;
    routeFetch({
      'GET /api/sandbox/accounts': sandboxOff,
      'GET /api/teams': () =>
        fail
          ? jsonResponse(503, { statusCode: 503, code: 'db/unavailable', message: 'Down' })
          : jsonResponse(200, [makeTeam('t1', 'Billing')]),
    });
    const w = await mountView();
    expect(w.find('[data-test="teams-load-error"]').text()).toContain('The database is unavailable');
    fail = false;
    await w.find('[data-test="teams-load-error"] button').trigger('click');
    await flushPromises();
    expect(w.findAll('[data-test="team-row"]')).toHaveLength(1);
  });
});
