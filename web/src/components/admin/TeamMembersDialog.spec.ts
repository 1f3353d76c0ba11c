import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Team, User } from '@inbox/shared';
import { useTeamsStore } from '../../stores/teams';
import { makeTeam } from '../../test/catalog-factories';
import { formError, signInAs, submitDialog } from '../../test/dialog';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import TeamMembersDialog from './TeamMembersDialog.vue';

function user(id: string, name: string, overrides: Partial<User> = {}): User {
  return {
    id,
    email: `${id}@example.com`,
    name,
    role: 'agent',
    disabled: false,
    totpEnabled: false,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const USERS = [
  user('me', 'The admin', { role: 'admin' }),
  user('u1', 'Zhang Wei'),
  user('u2', 'Li Na', { role: 'supervisor' }),
  user('u4', 'Gone Away', { disabled: true }),
  user('u5', 'Manager', { role: 'manager' }),
];

const row = (id: string) => document.querySelector(`[data-test="team-member-${id}"]`);
const checkbox = (id: string) => row(id)?.querySelector('input') as HTMLInputElement;
const rows = () =>
  Array.from(document.querySelectorAll('[data-test^="team-member-"]'), (el) => [
    el.getAttribute('data-test')?.replace('team-member-', ''),
    (el.querySelector('input') as HTMLInputElement).checked,
  ]);

describe('TeamMembersDialog', () => {
  let wrapper: VueWrapper | undefined;

  async function openDialog(team: Team) {
    const app = createTestApp();
    useTeamsStore().applyTeams([team]);
    wrapper = mount(TeamMembersDialog, {
      props: { modelValue: false, team },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('admins pick among every active agent and supervisor; a disabled member leaves on save', async () => {
    const team = makeTeam('t1', 'Sales', { memberIds: ['u4', 'u1'] });
    const fetchMock = mockFetch(jsonResponse(200, USERS), jsonResponse(200, { ...team, memberIds: ['u1', 'u2'] }));
    const w = await openDialog(team);
    signInAs('admin');
    await w.setProps({ modelValue: true });
    await flushPromises();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/users');
    expect(rows()).toEqual([
      ['u4', false],
      ['u1', true],
      ['u2', false],
    ]);
    expect(checkbox('u4').disabled).toBe(true);

    checkbox('u2').click();
    await flushPromises();
    await submitDialog('team-members');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/teams/t1/members');
    expect(fetchMock.mock.calls[1]?.[1]?.method).toBe('PUT');
    expect(sentBody(fetchMock, 1)).toEqual({ userIds: ['u1', 'u2'] });
    expect(useTeamsStore().byId.t1?.memberIds).toEqual(['u1', 'u2']);
    expect(w.emitted('saved')).toHaveLength(1);
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false]);
  });

  it('supervisors pick among their colleagues (agents and supervisors of their accounts), by name', async () => {
    const team = makeTeam('t1', 'Sales', { memberIds: ['m1'] });
    const fetchMock = mockFetch(
      jsonResponse(200, [
        { id: 'me', name: 'The supervisor', role: 'supervisor', accountIds: ['a1'] },
        { id: 'x1', name: 'Xu Ming', role: 'agent', accountIds: ['a1'] },
        { id: 'boss', name: 'Boss', role: 'manager', accountIds: ['a1'] },
      ]),
      jsonResponse(200, { ...team, memberIds: ['m1', 'me'] }),
    );
    const w = await openDialog(team);
    signInAs('supervisor', { accountIds: ['a1'] });
    await w.setProps({ modelValue: true });
    await flushPromises();
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/colleagues');
    expect(rows()).toEqual([
      ['me', false],
      ['x1', false],
      ['m1', true],
    ]);
    expect(row('me')?.textContent).toContain('The supervisor');
    expect(row('x1')?.textContent).toContain('Xu Ming');
    expect(row('m1')?.textContent).toContain('User m1…'); // a member the supervisor does not work with
    expect(row('boss')).toBeNull();

    checkbox('me').click();
    await flushPromises();
    await submitDialog('team-members');
    expect(sentBody(fetchMock, 1)).toEqual({ userIds: ['m1', 'me'] });
  });

  it('shows the server’s refusal of the member list above it and stays open', async () => {
    const team = makeTeam('t1', 'Sales', { memberIds: ['u1'] });
    mockFetch(
      jsonResponse(200, USERS),
      jsonResponse(400, {
        statusCode: 400,
        code: 'validation/failed',
        message: 'Invalid userIds',
        fields: { userIds: ['u1 is not an active user'] },
      }),
    );
    const w = await openDialog(team);
    signInAs('admin');
    await w.setProps({ modelValue: true });
    await flushPromises();
    await submitDialog('team-members');
    await vi.waitFor(() => expect(formError('team-members')).toContain('u1 is not an active user'));
    expect(w.emitted('saved')).toBeUndefined();
  });
});
