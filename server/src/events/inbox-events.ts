import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Conversation, Message } from '@inbox/shared';
import { EventEmitter } from 'node:events';

/**
 * Internal domain events, emitted by services after their transaction commits. The realtime
 * gateway (and later reports, notifications) listen here; services never touch sockets.
 */
export interface InboxEventMap {
  /** `message` is included when the emitter already has it (saves the listener a query). */
  'message.created': { messageId: string; accountId: string; conversationId: string; message?: Message };
  'message.updated': { messageId: string; accountId: string; conversationId: string };
  'conversation.changed': { conversationId: string; accountId: string; created: boolean; conversation?: Conversation };
  'session.revoked': { sessionId: string; userId: string };
  'membership.changed': { userId?: string; accountId?: string };
}

@Injectable()
export class InboxEvents {
  private readonly emitter = new EventEmitter({ captureRejections: true });

  constructor(private readonly logger?: Logger) {
    this.emitter.setMaxListeners(50);
  }

  emit<K extends keyof InboxEventMap>(event: K, payload: InboxEventMap[K]): void {
    this.emitter.emit(event, payload);
  }

  on<K extends keyof InboxEventMap>(
    event: K,
    listener: (payload: InboxEventMap[K]) => void | Promise<void>,
  ): () => void {
    const wrapped = (p: InboxEventMap[K]) => {
      void Promise.resolve(listener(p)).catch((err: unknown) =>
        this.logger?.error({ err, event }, 'an inbox event listener failed'),
      );
    };
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }
}
