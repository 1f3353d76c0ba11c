/** While typing, `typing: true` is repeated at most this often (colleagues drop a hint after ~8 s). */
export const TYPING_REPEAT_MS = 3000;
/** No key pressed for this long: `typing: false`. */
export const TYPING_IDLE_MS = 5000;

export type TypingEmit = (conversationId: string, typing: boolean) => void;

/**
 * The composer's side of typing hints: `input()` on every key press sends `typing: true` at most
 * once every 3 s; `stop()` (on send, on leaving the conversation, or after 5 s without input) sends
 * `typing: false`, once, and only when `true` was sent.
 */
export class TypingNotifier {
  private conversationId: string | null = null;
  private lastSentAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly emit: TypingEmit,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user typed in this conversation's composer. */
  input(conversationId: string): void {
    if (this.conversationId !== null && this.conversationId !== conversationId) this.stop();
    const at = this.now();
    if (this.conversationId === null || at - this.lastSentAt >= TYPING_REPEAT_MS) {
      this.conversationId = conversationId;
      this.lastSentAt = at;
      this.emit(conversationId, true);
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Sent, left, or idle: colleagues are told the user stopped (nothing when no hint is out). */
  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.conversationId;
    if (id === null) return;
    this.conversationId = null;
    this.emit(id, false);
  }
}
