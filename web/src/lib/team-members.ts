import type { Role, User } from '@inbox/shared';

/** A row of the team members picker. `name` null: the console cannot tell who it is. */
export interface MemberOption {
  id: string;
  name: string | null;
  email: string | null;
  role: Role | null;
  disabled: boolean;
}

/** Roles offered for a team: the people who answer conversations. */
const TEAM_ROLES: readonly Role[] = ['agent', 'supervisor'];

/**
 * Who can be picked: the known users of the team roles that are not disabled, and every current member
 * whatever they are (so none silently disappears). Known users first by name, then unknown ids.
 */
export function memberOptions(
  known: readonly User[],
  candidateIds: readonly string[] | null,
  memberIds: readonly string[],
): MemberOption[] {
  const byId = new Map(known.map((u) => [u.id, u]));
  const members = new Set(memberIds);
  const ids = new Set<string>();
  if (candidateIds === null) {
    for (const u of known) if (TEAM_ROLES.includes(u.role) && !u.disabled) ids.add(u.id);
  } else {
    for (const id of candidateIds) ids.add(id);
  }
  for (const id of memberIds) ids.add(id);
  const options = [...ids].map((id): MemberOption => {
    const u = byId.get(id);
    return u
      ? { id, name: u.name, email: u.email, role: u.role, disabled: u.disabled }
      : { id, name: null, email: null, role: null, disabled: false };
  });
  return options.sort((a, b) => {
    if ((a.name === null) !== (b.name === null)) return a.name === null ? 1 : -1;
    if (members.has(a.id) !== members.has(b.id)) return members.has(a.id) ? -1 : 1;
    return (a.name ?? a.id).localeCompare(b.name ?? b.id);
  });
}

/** The members kept when the dialog opens: a disabled user cannot stay (the server refuses them). */
export function initialSelection(options: readonly MemberOption[], memberIds: readonly string[]): string[] {
  const disabled = new Set(options.filter((o) => o.disabled).map((o) => o.id));
  return memberIds.filter((id) => !disabled.has(id));
}
