import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Team } from '@inbox/shared';
import { useTeamsStore } from '../../stores/teams';
import { makeTeam } from '../../test/catalog-factories';
import { jsonResponse, mockFetch, sentBody } from '../../test/fetch';
import { createTestApp } from '../../test/mount';
import { fieldErrors, fill, inputValue, signInAs, submitDialog } from '../../test/dialog';
import TeamFormDialog from './TeamFormDialog.vue';

describe('TeamFormDialog', () => {
  let wrapper: VueWrapper | undefined;

  function mountForm(team: Team | null = null) {
    const app = createTestApp();
    signInAs('supervisor');
    wrapper = mount(TeamFormDialog, {
      props: { modelValue: false, team },
      global: { plugins: app.plugins },
      attachTo: document.body,
    });
    return wrapper;
  }

  async function openForm(team: Team | null = null) {
    const w = mountForm(team);
    await w.setProps({ modelValue: true });
    await flushPromises();
    return w;
  }

  afterEach(() => {
    wrapper?.unmount();
    wrapper = undefined;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('adds a team with the trimmed name and hands it over', async () => {
    const created = makeTeam('t1', 'After-sales');
    const fetchMock = mockFetch(jsonResponse(201, created));
    const w = await openForm();
    await fill({ 'team-name': '  After-sales ' });
    await submitDialog('team-form');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/teams');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('POST');
    expect(sentBody(fetchMock)).toEqual({ name: 'After-sales' });
    expect(w.emitted('saved')?.[0]).toEqual([created, true]);
    expect(w.emitted('update:modelValue')?.[0]).toEqual([false]);
    expect(useTeamsStore().items).toEqual([created]);
  });

  it('refuses an empty name under the field without calling the server', async () => {
    const fetchMock = mockFetch();
    await openForm();
    await fill({ 'team-name': '   ' });
    await submitDialog('team-form');
    expect(fetchMock).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['Required.']));
  });

  it('shows a taken name (409) under the name, and clears it when the name changes', async () => {
    mockFetch(jsonResponse(409, { statusCode: 409, code: 'teams/name_taken', message: 'Taken' }));
    const w = await openForm();
    await fill({ 'team-name': 'Sales' });
    await submitDialog('team-form');
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['A team with this name already exists.']));
    expect(w.emitted('saved')).toBeUndefined();
    await fill({ 'team-name': 'Sales 2' });
    await vi.waitFor(() => expect(fieldErrors()).toEqual([]));
  });

  it('shows the server’s validation/failed message under the field it names', async () => {
    mockFetch(
      jsonResponse(400, {
        statusCode: 400,
        code: 'validation/failed',
        message: 'Invalid name',
        fields: { name: ['name must be unique among the stars'] },
      }),
    );
    await openForm();
    await fill({ 'team-name': 'Sales' });
    await submitDialog('team-form');
    await vi.waitFor(() => expect(fieldErrors()).toEqual(['name must be unique among the stars']));
  });

  it('renames a team: starts from its name and PATCHes it', async () => {
    const team = makeTeam('t1', 'Sales');
    const fetchMock = mockFetch(jsonResponse(200, { ...team, name: 'Pre-sales' }));
    const w = await openForm(team);
    expect(inputValue('team-name')).toBe('Sales');
    await fill({ 'team-name': 'Pre-sales' });
    await submitDialog('team-form');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/teams/t1');
    expect(fetchMock.mock.calls[0]?.[1]?.method).toBe('PATCH');
    expect(sentBody(fetchMock)).toEqual({ name: 'Pre-sales' });
    expect(w.emitted('saved')?.[0]?.[1]).toBe(false);
  });
});
