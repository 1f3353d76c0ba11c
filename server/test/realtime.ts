import type { ServerToClientEvents } from '@inbox/shared';
import { io, type Socket } from 'socket.io-client';

export type EventLog = Array<{ event: keyof ServerToClientEvents; payload: unknown }>;

/** A real socket.io client, authenticated by a session cookie like the console's. */
export async function connectSocket(
  url: string,
  cookie: string,
  origin?: string,
): Promise<{
  socket: Socket;
  events: EventLog;
  waitFor: (pred: (log: EventLog) => boolean, ms?: number) => Promise<void>;
}> {
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie, ...(origin ? { origin } : {}) },
    reconnection: false,
  });
  const events: EventLog = [];
  for (const name of [
    'message.created',
    'message.updated',
    'conversation.created',
    'conversation.updated',
    'session.revoked',
    'typing',
    'presence',
  ] as const) {
    socket.on(name as string, (payload: unknown) => events.push({ event: name, payload }));
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  const waitFor = (pred: (log: EventLog) => boolean, ms = 10000) =>
    new Promise<void>((resolve, reject) => {
      if (pred(events)) return resolve();
      const timer = setTimeout(() => {
        socket.offAny(onAny);
        reject(new Error(`timed out waiting; got ${JSON.stringify(events.map((e) => e.event))}`));
      }, ms);
      // Re-check after every event the socket receives (catch-all listeners run before the
      // event's own listener has logged it, hence the microtask).
      const onAny = () =>
        queueMicrotask(() => {
          if (!pred(events)) return;
          clearTimeout(timer);
          socket.offAny(onAny);
          resolve();
        });
      socket.onAny(onAny);
    });
  return { socket, events, waitFor };
}

/**
 * A ping answered by the server: anything the server sent this socket before it handled the ping
 * has arrived once this resolves (a barrier for "was not received" checks, instead of a sleep).
 */
export function roundTrip(socket: Socket, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.timeout(ms).emit('ping', (err: unknown) => (err ? reject(err as Error) : resolve()));
  });
}

/** Resolves when the socket is refused at the handshake, with the reason. */
export function expectRefused(url: string, cookie: string, origin?: string): Promise<string> {
  const socket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { cookie, ...(origin ? { origin } : {}) },
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('socket was accepted'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}
