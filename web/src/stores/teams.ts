import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Team } from '@inbox/shared';
import * as api from '../api/teams';
import { ApiError } from '../api/http';

/**
 * Groups of agents: names for the team filter and badges, and (for admins and supervisors) what the
 * teams screen edits. Every signed-in user may list them.
 */
export const useTeamsStore = defineStore('teams', () => {
  const items = ref<Team[]>([]);
  const loaded = ref(false);

  const byId = computed<Record<string, Team>>(() => Object.fromEntries(items.value.map((t) => [t.id, t])));
  const sorted = computed<Team[]>(() => [...items.value].sort((a, b) => a.name.localeCompare(b.name)));

  function applyTeams(list: Team[]): void {
    items.value = list;
    loaded.value = true;
  }

  /** A new or changed team (an answer of POST, PATCH or PUT members): replaces the copy with the same id. */
  function applyTeam(team: Team): void {
    const index = items.value.findIndex((t) => t.id === team.id);
    if (index === -1) items.value.push(team);
    else items.value.splice(index, 1, team);
  }

  function applyTeamRemoved(id: string): void {
    items.value = items.value.filter((t) => t.id !== id);
  }

  async function load(): Promise<void> {
    applyTeams(await api.listTeams());
  }

  async function create(name: string): Promise<Team> {
    const team = await api.createTeam({ name });
    applyTeam(team);
    return team;
  }

  async function update(id: string, name: string): Promise<Team> {
    const team = await api.updateTeam(id, { name });
    applyTeam(team);
    return team;
  }

  async function remove(id: string): Promise<void> {
    try {
      await api.deleteTeam(id);
    } catch (error) {
      // Already gone (deleted elsewhere): the list should not keep showing it.
      if (!(error instanceof ApiError && error.code === 'teams/not_found')) throw error;
    }
    applyTeamRemoved(id);
  }

  /** Replaces the whole member list. */
  async function setMembers(id: string, userIds: string[]): Promise<Team> {
    const team = await api.setTeamMembers(id, [...new Set(userIds)]);
    applyTeam(team);
    return team;
  }

  function nameOf(id: string): string | undefined {
    return byId.value[id]?.name;
  }

  /** The teams a user belongs to, by name. */
  function teamsOf(userId: string): Team[] {
    return sorted.value.filter((t) => t.memberIds.includes(userId));
  }

  function reset(): void {
    items.value = [];
    loaded.value = false;
  }

  return {
    items,
    loaded,
    byId,
    sorted,
    applyTeams,
    applyTeam,
    applyTeamRemoved,
    load,
    create,
    update,
    remove,
    setMembers,
    nameOf,
    teamsOf,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTeamsStore, import.meta.hot));
