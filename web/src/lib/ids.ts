/**
 * A random id for `clientMessageId` (32 hex characters). Uses `crypto.getRandomValues`, which,
 * unlike `crypto.randomUUID`, also exists when the console is served over plain HTTP on a LAN.
 */
export function newClientMessageId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
