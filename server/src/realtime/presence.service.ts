import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { AccountsService, seesAllAccounts, type Viewer } from '../accounts/accounts.service';
import type { AuthUser } from '../auth/auth.context';
import { LOGGER } from '../config/config.module';
import { accountRoom, accountRoomsOf, broadcaster, userRoom, type InboxServer, type InboxSocket } from './rooms';

type AnySocket = Pick<InboxSocket, 'id' | 'handshake'>;

/** Connected before the other (handshake time, then id: every instance agrees on the order). */
const before = (a: AnySocket, b: AnySocket) =>
  a.handshake.issued < b.handshake.issued || (a.handshake.issued === b.handshake.issued && a.id < b.id);

/**
 * Who is online, cluster-wide, from the live sockets themselves (no table to go stale when an instance
 * dies). A user's first socket announces `presence {online: true}`, their last one `online: false`, to
 * the rooms of the accounts they see, so only colleagues who share an account hear it.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private server: InboxServer | undefined;
  private closing = false;

  constructor(
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  init(server: InboxServer): void {
    this.server = server;
  }

  onModuleDestroy(): void {
    this.closing = true;
  }

  attach(socket: InboxSocket): void {
    const user = socket.data.auth.user;
    let rooms: string[] = [];
    socket.on('disconnecting', () => {
      rooms = accountRoomsOf(socket.rooms);
    });
    socket.on('disconnect', () => {
      if (this.closing) return;
      this.wentAway(user, rooms).catch((err: unknown) => this.logger.warn({ err }, 'presence (offline) failed'));
    });
    this.arrived(socket).catch((err: unknown) => this.logger.warn({ err }, 'presence (online) failed'));
  }

  /** The online users among the caller's colleagues (everyone who shares an account with them); admins and managers: everyone. */
  async online(viewer: Viewer): Promise<string[]> {
    const server = this.server;
    if (!server) return [];
    let sockets: Awaited<ReturnType<InboxServer['fetchSockets']>> = [];
    if (seesAllAccounts(viewer.role)) sockets = await server.fetchSockets();
    else {
      const rooms = (await this.accounts.visibleAccountIds(viewer)).map(accountRoom);
      if (rooms.length) sockets = await server.in(rooms).fetchSockets();
    }
    return [...new Set(sockets.map((s) => s.data.auth.user.id))].sort();
  }

  /**
   * Online, if this is the user's first socket. Of sockets connecting at once (on any instance), the
   * earliest announces: each sees the others that joined before it looked, so exactly one is earliest.
   */
  private async arrived(socket: InboxSocket): Promise<void> {
    const server = this.server;
    if (!server) return;
    const user = socket.data.auth.user;
    const to = await broadcaster(server);
    const sockets = await server.in(userRoom(user.id)).fetchSockets();
    if (!socket.connected || sockets.some((s) => s.id !== socket.id && before(s, socket))) return;
    const rooms = accountRoomsOf(socket.rooms);
    if (rooms.length) to(rooms).except(userRoom(user.id)).emit('presence', { userId: user.id, online: true });
  }

  /** Offline, if that was the user's last socket anywhere. */
  private async wentAway(user: AuthUser, rooms: string[]): Promise<void> {
    const server = this.server;
    if (!server || !rooms.length) return;
    const to = await broadcaster(server);
    const left = await server.in(userRoom(user.id)).fetchSockets();
    // A socket of theirs may have connected here while we looked.
    if (left.length || server.of('/').adapter.rooms.get(userRoom(user.id))?.size) return;
    to(rooms).except(userRoom(user.id)).emit('presence', { userId: user.id, online: false });
  }
}
