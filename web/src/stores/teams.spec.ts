import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import * as api from '../api/teams';
import { ApiError } from '../api/http';
import { makeTeam } from '../test/catalog-factories';
import { useTeamsStore } from './teams';

vi.mock('../api/teams');

describe('teams store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.mocked(api.listTeams).mockReset();
    vi.mocked(api.createTeam).mockReset();
    vi.mocked(api.updateTeam).mockReset();
    vi.mocked(api.deleteTeam).mockReset();
    vi.mocked(api.setTeamMembers).mockReset();
  });

  it('applyTeam adds a new team and replaces a changed one in place', () => {
    const store = useTeamsStore();
    store.applyTeams([makeTeam('t1', 'Sales'), makeTeam('t2', 'Billing')]);
    store.applyTeam(makeTeam('t3', 'After-sales'));
    store.applyTeam(makeTeam('t1', 'Sales', { memberIds: ['u1'] }));
    expect(store.items.map((t) => [t.id, t.memberIds])).toEqual([
      ['t1', ['u1']],
      ['t2', []],
      ['t3', []],
    ]);
    expect(store.sorted.map((t) => t.name)).toEqual(['After-sales', 'Billing', 'Sales']);
    expect(store.nameOf('t2')).toBe('Billing');
    expect(store.teamsOf('u1').map((t) => t.id)).toEqual(['t1']);
    expect(store.loaded).toBe(true);
  });

  it('load, create, rename and setMembers keep the list in step with the server’s answers', async () => {
    const store = useTeamsStore();
    vi.mocked(api.listTeams).mockResolvedValue([makeTeam('t1', 'Sales')]);
    await store.load();
    vi.mocked(api.createTeam).mockResolvedValue(makeTeam('t2', 'Billing'));
    await store.create('Billing');
    expect(api.createTeam).toHaveBeenCalledWith({ name: 'Billing' });
    vi.mocked(api.updateTeam).mockResolvedValue(makeTeam('t2', 'Invoices'));
    await store.update('t2', 'Invoices');
    expect(api.updateTeam).toHaveBeenCalledWith('t2', { name: 'Invoices' });
    vi.mocked(api.setTeamMembers).mockResolvedValue(makeTeam('t2', 'Invoices', { memberIds: ['u1', 'u2'] }));
    await store.setMembers('t2', ['u1', 'u2', 'u1']);
    expect(api.setTeamMembers).toHaveBeenCalledWith('t2', ['u1', 'u2']);
    expect(store.items.map((t) => [t.name, t.memberIds.length])).toEqual([
      ['Sales', 0],
      ['Invoices', 2],
    ]);
  });

  it('remove drops the team, also when it was already gone, but keeps it on any other error', async () => {
    const store = useTeamsStore();
    store.applyTeams([makeTeam('t1', 'Sales'), makeTeam('t2', 'Billing'), makeTeam('t3', 'Support')]);
    vi.mocked(api.deleteTeam).mockResolvedValueOnce(undefined);
    await store.remove('t1');
    vi.mocked(api.deleteTeam).mockRejectedValueOnce(new ApiError(404, 'teams/not_found', 'gone'));
    await store.remove('t2');
    vi.mocked(api.deleteTeam).mockRejectedValueOnce(new ApiError(403, 'auth/forbidden', 'no'));
    await expect(store.remove('t3')).rejects.toMatchObject({ code: 'auth/forbidden' });
    expect(store.items.map((t) => t.id)).toEqual(['t3']);
  });

  it('reset forgets the teams', () => {
    const store = useTeamsStore();
    store.applyTeams([makeTeam('t1', 'Sales')]);
    store.reset();
    expect(store.items).toEqual([]);
    expect(store.loaded).toBe(false);
  });
});
