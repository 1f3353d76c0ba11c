import type { ClientToServerEvents, ServerToClientEvents } from '@inbox/shared';
import type { BroadcastOperator, Server, Socket } from 'socket.io';
import type { AuthContext } from '../auth/auth.context';

export type InboxServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { auth: AuthContext }
>;
export type InboxSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { auth: AuthContext }
>;

export const accountRoom = (id: string) => `account:${id}`;
export const userRoom = (id: string) => `user:${id}`;
export const sessionRoom = (id: string) => `session:${id}`;

/** The account rooms among a socket's rooms. */
export const accountRoomsOf = (rooms: Iterable<string>) => [...rooms].filter((r) => r.startsWith('account:'));

/**
 * Broadcasts from here: across the cluster, or only on this instance while it knows of no other
 * (the adapter's heartbeat keeps that list in memory), which skips the adapter's round trip.
 * Resolved first, so that a caller can check and emit without yielding in between.
 */
export async function broadcaster(
  server: InboxServer,
): Promise<(rooms: string | string[]) => BroadcastOperator<ServerToClientEvents, { auth: AuthContext }>> {
  const alone = (await server.of('/').adapter.serverCount()) <= 1;
  return (rooms: string | string[]) => (alone ? server.local.to(rooms) : server.to(rooms));
}
