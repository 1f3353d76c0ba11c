import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { TypingEvent } from '@inbox/shared';

/** A typing hint lasts this long without a refresh (the typer repeats it every 3 s while typing). */
export const TYPING_TTL_MS = 8000;

export interface Typer {
  userId: string;
  name: string;
  /** Epoch ms after which the hint is stale. */
  expiresAt: number;
}

/**
 * Who is typing where (collision hints from colleagues' `typing` events). Entries expire on their own
 * after `TYPING_TTL_MS` without a refresh, so a colleague who closed the tab does not type forever.
 */
export const useTypingStore = defineStore('typing', () => {
  /** conversationId -> userId -> typer. */
  const byConversation = ref<Record<string, Record<string, Typer>>>({});
  let timer: ReturnType<typeof setTimeout> | null = null;

  /** Drops every hint expired at `now`, then waits for the next expiry. */
  function prune(now: number = Date.now()): void {
    for (const [conversationId, typers] of Object.entries(byConversation.value)) {
      for (const typer of Object.values(typers)) if (typer.expiresAt <= now) delete typers[typer.userId];
      if (Object.keys(typers).length === 0) delete byConversation.value[conversationId];
    }
    schedule(now);
  }

  function schedule(now: number): void {
    if (timer) clearTimeout(timer);
    timer = null;
    let next = Infinity;
    for (const typers of Object.values(byConversation.value)) {
      for (const typer of Object.values(typers)) next = Math.min(next, typer.expiresAt);
    }
    if (next !== Infinity) timer = setTimeout(() => prune(), Math.max(0, next - now));
  }

  /** A colleague started (or refreshed) or stopped typing. */
  function applyTyping(e: TypingEvent, now: number = Date.now()): void {
    if (e.typing) {
      const typers = (byConversation.value[e.conversationId] ??= {});
      typers[e.userId] = { userId: e.userId, name: e.name, expiresAt: now + TYPING_TTL_MS };
    } else {
      const typers = byConversation.value[e.conversationId];
      if (!typers?.[e.userId]) return;
      delete typers[e.userId];
      if (Object.keys(typers).length === 0) delete byConversation.value[e.conversationId];
    }
    schedule(now);
  }

  /** Who is typing in a conversation, by name, leaving out `exceptUserId` (the signed-in user's other tabs). */
  function typersOf(conversationId: string, exceptUserId: string | null = null): string[] {
    const typers = byConversation.value[conversationId];
    if (!typers) return [];
    return Object.values(typers)
      .filter((typer) => typer.userId !== exceptUserId)
      .map((typer) => typer.name)
      .sort((a, b) => a.localeCompare(b));
  }

  function reset(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    byConversation.value = {};
  }

  return { byConversation, applyTyping, prune, typersOf, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTypingStore, import.meta.hot));
