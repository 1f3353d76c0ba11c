/** A saved reply; `accountId: null` means every account. */
export interface CannedResponse {
  id: string;
  accountId: string | null;
  /** What an agent types to find it, e.g. `hours`. */
  shortcut: string;
  text: string;
  createdAt: string;
  updatedAt: string;
}

/** `POST /api/canned-responses`, `PATCH /api/canned-responses/:id` (supervisor or admin). */
export interface SaveCannedResponseRequest {
  accountId?: string | null;
  shortcut: string;
  text: string;
}
