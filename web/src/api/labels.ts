import type { Label, SaveLabelRequest } from '@inbox/shared';
import { request } from './http';

const path = (id: string) => `/api/labels/${encodeURIComponent(id)}`;

/** Every label (any signed-in user): labels are shared by every account. */
export function listLabels(): Promise<Label[]> {
  return request<Label[]>('GET', '/api/labels');
}

/** Supervisor or admin. 400 `validation/failed` with the fields, 409 `labels/name_taken`. */
export function createLabel(body: SaveLabelRequest): Promise<Label> {
  return request<Label>('POST', '/api/labels', body);
}

/** Name and colour. 404 `labels/not_found`, 409 `labels/name_taken`. */
export function updateLabel(id: string, body: SaveLabelRequest): Promise<Label> {
  return request<Label>('PATCH', path(id), body);
}

/** Also takes the label off every conversation. 404 `labels/not_found`. */
export function deleteLabel(id: string): Promise<void> {
  return request<void>('DELETE', path(id));
}
