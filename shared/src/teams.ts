/** A group of agents; a conversation can belong to one team (`Conversation.teamId`). */
export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** `POST /api/teams`, `PATCH /api/teams/:id` (supervisor or admin). */
export interface SaveTeamRequest {
  name: string;
}

/** `PUT /api/teams/:id/members` (supervisor or admin): the whole member list. */
export interface SetTeamMembersRequest {
  userIds: string[];
}

/** `PUT /api/conversations/:id/team`: route a conversation to a team, or to none. */
export interface SetConversationTeamRequest {
  teamId: string | null;
}
