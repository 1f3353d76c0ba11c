import { fastifyCookie } from '@fastify/cookie';
import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import type { Logger } from 'pino';
import { AccountsService } from '../accounts/accounts.service';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service';
import { originAllowed } from '../auth/origin-check';
import type { AppConfig } from '../config/config';
import { APP_CONFIG, LOGGER } from '../config/config.module';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { InboxEvents } from '../events/inbox-events';
import { PresenceService } from './presence.service';
import { accountRoom, broadcaster, sessionRoom, userRoom, type InboxServer, type InboxSocket } from './rooms';
import { TypingService } from './typing.service';

export { accountRoom, sessionRoom, userRoom } from './rooms';

/** The id no real user has: events carry conversations as seen by nobody in particular. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * The one socket.io gateway. The handshake is authenticated by the session cookie (the same
 * check as the REST API) and, when an Origin is sent, it must be this server's. Each socket
 * joins its user, session and allowed-account rooms; domain events become client events
 * only in the rooms of their account, after commit.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit, OnModuleDestroy {
  @WebSocketServer() server: InboxServer;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(ConversationsRepository) private readonly conversations: ConversationsRepository,
    @Inject(InboxEvents) private readonly events: InboxEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(TypingService) private readonly typing: TypingService,
    @Inject(PresenceService) private readonly presence: PresenceService,
  ) {}

  afterInit(server: InboxServer): void {
    server.use((socket, next) => {
      void this.authenticate(socket as InboxSocket).then(
        (ok) => (ok ? next() : next(new Error('auth/unauthenticated'))),
        (err: unknown) => next(err instanceof Error ? err : new Error('auth/unauthenticated')),
      );
    });
    this.typing.init(server);
    this.presence.init(server);
    server.on('connection', (socket: InboxSocket) => {
      socket.on('ping', (ack) => {
        if (typeof ack === 'function') ack({ at: new Date().toISOString() });
      });
      this.typing.attach(socket);
      this.presence.attach(socket);
    });
    this.unsubscribe.push(
      this.events.on('message.created', async (e) => {
        if (e.message) (await this.toAccount(e.accountId)).emit('message.created', { message: e.message });
        else await this.emitMessage('message.created', e.messageId, e.accountId);
      }),
      this.events.on('message.updated', async (e) => this.emitMessage('message.updated', e.messageId, e.accountId)),
      this.events.on('conversation.changed', async (e) => {
        const conversation = e.conversation ?? (await this.conversations.find(NOBODY, e.conversationId));
        if (conversation)
          (await this.toAccount(e.accountId)).emit(e.created ? 'conversation.created' : 'conversation.updated', {
            conversation,
          });
      }),
      this.events.on('session.revoked', (e) => {
        server.to(sessionRoom(e.sessionId)).emit('session.revoked', { reason: 'session revoked' });
        server.in(sessionRoom(e.sessionId)).disconnectSockets(true);
      }),
      // A user's role, status or memberships changed: re-scope their sockets; a new account: everyone's.
      this.events.on('membership.changed', async (e) =>
        e.userId ? this.rescope(await this.server.in(userRoom(e.userId)).fetchSockets()) : this.rescopeAll(),
      ),
    );
  }

  onModuleDestroy(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /**
   * The account's room. While this instance knows of no other (see `broadcaster`), the broadcast stays
   * local and skips the adapter's NOTIFY round trip, which otherwise sits on every message's path to
   * the console. A new instance announces itself when it starts, so from then on broadcasts cross
   * instances again.
   */
  private async toAccount(accountId: string) {
    return (await broadcaster(this.server))(accountRoom(accountId));
  }

  private async emitMessage(
    event: 'message.created' | 'message.updated',
    messageId: string,
    accountId: string,
  ): Promise<void> {
    const message = await this.conversations.message(messageId);
    if (message) (await this.toAccount(accountId)).emit(event, { message });
  }

  private async authenticate(socket: InboxSocket): Promise<boolean> {
    const headers = socket.handshake.headers;
    if (!originAllowed(headers.origin, headers.host, this.config.publicUrl)) return false;
    const auth = await this.auth.authenticate(
      headers.cookie ? fastifyCookie.parse(headers.cookie)[SESSION_COOKIE] : undefined,
    );
    // A session restricted by the 2FA policy gets no live events until the second factor is enrolled.
    if (!auth || auth.totpEnrolmentRequired) return false;
    socket.data.auth = auth;
    const accountIds = await this.accounts.visibleAccountIds(auth.user);
    await socket.join([userRoom(auth.user.id), sessionRoom(auth.sessionId), ...accountIds.map(accountRoom)]);
    return true;
  }

  /** Re-computes every live socket's account rooms (membership changed); works across instances. */
  private async rescopeAll(): Promise<void> {
    await this.rescope(await this.server.fetchSockets());
  }

  /** Disconnects sockets whose session died (or got restricted), moves the others to the rooms they may see now. */
  private async rescope(sockets: Awaited<ReturnType<InboxServer['fetchSockets']>>): Promise<void> {
    for (const s of sockets) {
      const auth = s.data.auth;
      const live = await this.auth.authenticateSession(auth.sessionId);
      if (!live || live.totpEnrolmentRequired) {
        s.disconnect(true);
        continue;
      }
      const allowed = new Set((await this.accounts.visibleAccountIds(live.user)).map(accountRoom));
      for (const room of s.rooms) if (room.startsWith('account:') && !allowed.has(room)) s.leave(room);
      for (const room of allowed) if (!s.rooms.has(room)) s.join(room);
    }
    this.logger.debug({ sockets: sockets.length }, 'socket rooms re-scoped');
  }
}
