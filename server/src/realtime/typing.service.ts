import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AuthUser } from '../auth/auth.context';
import { UUID } from '../common/uuid';
import { LOGGER } from '../config/config.module';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { accountRoom, broadcaster, userRoom, type InboxServer, type InboxSocket } from './rooms';

/** Per socket, at most this many typing events per window; the rest are dropped. */
export const TYPING_BURST = 5;
const TYPING_WINDOW_MS = 1000;
/** A conversation never changes account: its account is remembered this long, for this many conversations. */
const ACCOUNT_TTL_MS = 60_000;
const ACCOUNT_CACHE_MAX = 10_000;

interface Place {
  conversationId: string;
  accountId: string;
}

/** One socket's typing state: where it is typing now, its rate window, and its queue (events stay in order). */
interface SocketTyping {
  typingIn: Place | undefined;
  windowStart: number;
  count: number;
  queue: Promise<unknown>;
}

/** `{ conversationId: uuid, typing: boolean }`, or nothing. */
function parse(payload: unknown): { conversationId: string; typing: boolean } | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { conversationId, typing } = payload as Record<string, unknown>;
  if (typeof conversationId !== 'string' || !UUID.test(conversationId) || typeof typing !== 'boolean') return undefined;
  return { conversationId: conversationId.toLowerCase(), typing };
}

/**
 * Typing hints between colleagues (a collision hint in the console; WeChat is never told). A socket
 * says it is (or stopped) typing in a conversation; if it may see the conversation's account, every
 * other user's socket in that account's room hears who, and the sender's own sockets do not. A socket
 * types in one conversation at a time; moving on, or disconnecting, tells the others it stopped.
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  private server: InboxServer | undefined;
  private closing = false;
  private readonly accounts = new Map<string, { until: number; accountId: Promise<string | undefined> }>();

  constructor(
    @Inject(ConversationsRepository) private readonly conversations: ConversationsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  init(server: InboxServer): void {
    this.server = server;
  }

  onModuleDestroy(): void {
    this.closing = true;
  }

  attach(socket: InboxSocket): void {
    const state: SocketTyping = { typingIn: undefined, windowStart: 0, count: 0, queue: Promise.resolve() };
    const user = socket.data.auth.user;
    socket.on('typing', (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: { ok: boolean }) => void) : undefined;
      // Malformed events cost nothing more; well-formed ones may cost a lookup, so they are rationed.
      const e = parse(payload);
      if (!e || !this.withinRate(state)) {
        reply?.({ ok: false });
        return;
      }
      state.queue = state.queue
        .then(() => this.handle(socket, user, state, e))
        .then(
          (ok) => reply?.({ ok }),
          (err: unknown) => {
            this.logger.warn({ err }, 'typing event failed');
            reply?.({ ok: false });
          },
        );
    });
    socket.on('disconnect', () => {
      const was = state.typingIn;
      state.typingIn = undefined;
      if (!was || this.closing) return;
      state.queue = state.queue
        .then(() => this.tell(was, user, false))
        .catch((err: unknown) => this.logger.warn({ err }, 'typing stop on disconnect failed'));
    });
  }

  private withinRate(state: SocketTyping): boolean {
    const now = Date.now();
    if (now - state.windowStart >= TYPING_WINDOW_MS) {
      state.windowStart = now;
      state.count = 0;
    }
    return ++state.count <= TYPING_BURST;
  }

  private async handle(
    socket: InboxSocket,
    user: AuthUser,
    state: SocketTyping,
    e: { conversationId: string; typing: boolean },
  ): Promise<boolean> {
    const accountId = await this.accountOf(e.conversationId);
    // The socket's account rooms are what it may see (kept current when memberships change).
    if (!accountId || !socket.connected || !socket.rooms.has(accountRoom(accountId))) return false;
    const here: Place = { conversationId: e.conversationId, accountId };
    const before = state.typingIn;
    if (e.typing) {
      state.typingIn = here;
      if (before && before.conversationId !== here.conversationId) await this.tell(before, user, false);
    } else if (before?.conversationId === here.conversationId) {
      state.typingIn = undefined;
    }
    await this.tell(here, user, e.typing);
    return true;
  }

  private async tell(place: Place, user: AuthUser, typing: boolean): Promise<void> {
    if (!this.server) return;
    (await broadcaster(this.server))(accountRoom(place.accountId))
      .except(userRoom(user.id))
      .emit('typing', { conversationId: place.conversationId, userId: user.id, name: user.name, typing });
  }

  /** The conversation's account, remembered briefly (missing conversations too); lookups in flight are shared. */
  private accountOf(conversationId: string): Promise<string | undefined> {
    const now = Date.now();
    const hit = this.accounts.get(conversationId);
    if (hit && hit.until > now) return hit.accountId;
    if (hit) this.accounts.delete(conversationId);
    while (this.accounts.size >= ACCOUNT_CACHE_MAX) {
      const oldest = this.accounts.keys().next().value;
      if (oldest === undefined) break;
      this.accounts.delete(oldest);
    }
    const accountId = this.conversations.accountOf(conversationId);
    this.accounts.set(conversationId, { until: now + ACCOUNT_TTL_MS, accountId });
    accountId.catch(() => {
      if (this.accounts.get(conversationId)?.accountId === accountId) this.accounts.delete(conversationId);
    });
    return accountId;
  }
}
