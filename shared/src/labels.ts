/** A tag on conversations, shared by every account. */
export interface Label {
  id: string;
  name: string;
  /** `#rrggbb`. */
  color: string;
  createdAt: string;
}

/** `POST /api/labels`, `PATCH /api/labels/:id` (supervisor or admin). */
export interface SaveLabelRequest {
  name: string;
  color?: string;
}

/** `PUT /api/conversations/:id/labels`: the conversation's whole label set. */
export interface SetConversationLabelsRequest {
  labelIds: string[];
}
