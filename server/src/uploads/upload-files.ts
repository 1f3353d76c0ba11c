import { join } from 'node:path';

/** Where an upload's bytes live: DATA_DIR/uploads/<accountId>/<uploadId> (its type is in the `uploads` row). */
export function uploadPath(dataDir: string, accountId: string, uploadId: string): string {
  return join(dataDir, 'uploads', accountId, uploadId);
}

/** The URL the console shows an upload at (also the `mediaUrl` of an image reply). */
export function uploadUrl(uploadId: string): string {
  return `/api/uploads/${uploadId}`;
}
