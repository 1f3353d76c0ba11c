import type { SaveTeamRequest, Team } from '@inbox/shared';
import { request } from './http';

const path = (id: string) => `/api/teams/${encodeURIComponent(id)}`;

/** Every team with its member ids (any signed-in user). */
export function listTeams(): Promise<Team[]> {
  return request<Team[]>('GET', '/api/teams');
}

/** Supervisor or admin. 400 `validation/failed` with the fields, 409 `teams/name_taken`. */
export function createTeam(body: SaveTeamRequest): Promise<Team> {
  return request<Team>('POST', '/api/teams', body);
}

/** Renames a team. 404 `teams/not_found`, 409 `teams/name_taken`. */
export function updateTeam(id: string, body: SaveTeamRequest): Promise<Team> {
  return request<Team>('PATCH', path(id), body);
}

/** Conversations routed to the team keep going, with no team. 404 `teams/not_found`. */
export function deleteTeam(id: string): Promise<void> {
  return request<void>('DELETE', path(id));
}

/** Replaces the whole member list; answers the team as it now is. */
export function setTeamMembers(id: string, userIds: string[]): Promise<Team> {
  return request<Team>('PUT', `${path(id)}/members`, { userIds });
}
