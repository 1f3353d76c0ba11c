/** What WeChat accepts as a customer-service image and the server takes as an upload. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif'] as const;
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;
/** The file input's `accept`. */
export const IMAGE_ACCEPT = IMAGE_TYPES.join(',');

export type ImageProblem = 'type' | 'size' | 'empty';

/** Why a picked file cannot be sent as an image, or null when it can (checked before uploading). */
export function imageProblem(file: { type: string; size: number }): ImageProblem | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > IMAGE_MAX_BYTES) return 'size';
  return null;
}
