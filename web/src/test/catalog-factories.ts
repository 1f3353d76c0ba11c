import type { CannedResponse, Label, Team } from '@inbox/shared';

const at = '2025-01-01T00:00:00.000Z';

/** A team as the API returns it. */
export function makeTeam(id: string, name: string, overrides: Partial<Team> = {}): Team {
  return { id, name, memberIds: [], createdAt: at, updatedAt: at, ...overrides };
}

/** A label as the API returns it. */
export function makeLabel(id: string, name: string, overrides: Partial<Label> = {}): Label {
  return { id, name, color: '#409eff', createdAt: at, ...overrides };
}

/** A canned response as the API returns it (global unless `accountId` is given). */
export function makeCannedResponse(
  id: string,
  shortcut: string,
  text: string,
  overrides: Partial<CannedResponse> = {},
): CannedResponse {
  return { id, accountId: null, shortcut, text, createdAt: at, updatedAt: at, ...overrides };
}
