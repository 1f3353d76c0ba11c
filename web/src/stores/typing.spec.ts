import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { TYPING_TTL_MS, useTypingStore } from './typing';

const typingEvent = (userId: string, name: string, typing = true, conversationId = 'c1') => ({
  conversationId,
  userId,
  name,
  typing,
});

describe('typing store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers();
  });

  afterEach(() => {
    useTypingStore().reset();
    vi.useRealTimers();
  });

  it('lists who is typing per conversation, by name, and forgets whoever stops', () => {
    const store = useTypingStore();
    store.applyTyping(typingEvent('u-bob', 'Bob'));
    store.applyTyping(typingEvent('u-alice', 'Alice'));
    store.applyTyping(typingEvent('u-alice', 'Alice')); // a refresh, not a second typer
    store.applyTyping(typingEvent('u-carol', 'Carol', true, 'c2'));
    expect(store.typersOf('c1')).toEqual(['Alice', 'Bob']);
    expect(store.typersOf('c2')).toEqual(['Carol']);
    expect(store.typersOf('c3')).toEqual([]);

    store.applyTyping(typingEvent('u-bob', 'Bob', false));
    expect(store.typersOf('c1')).toEqual(['Alice']);
    store.applyTyping(typingEvent('u-dave', 'Dave', false)); // never typed: nothing happens
    store.applyTyping(typingEvent('u-alice', 'Alice', false));
    expect(store.typersOf('c1')).toEqual([]);
    expect(store.byConversation).toEqual({ c2: expect.anything() });
  });

  it('leaves out the signed-in user (their other tabs)', () => {
    const store = useTypingStore();
    store.applyTyping(typingEvent('u-me', 'Me'));
    store.applyTyping(typingEvent('u-alice', 'Alice'));
    expect(store.typersOf('c1', 'u-me')).toEqual(['Alice']);
  });

  it('drops a hint that is not refreshed within the TTL, and keeps one that is', () => {
    const store = useTypingStore();
    store.applyTyping(typingEvent('u-alice', 'Alice'));
    store.applyTyping(typingEvent('u-bob', 'Bob'));
    vi.advanceTimersByTime(3000);
    store.applyTyping(typingEvent('u-bob', 'Bob')); // Bob keeps typing
    vi.advanceTimersByTime(TYPING_TTL_MS - 3000 - 1);
    expect(store.typersOf('c1')).toEqual(['Alice', 'Bob']);
    vi.advanceTimersByTime(1);
    expect(store.typersOf('c1')).toEqual(['Bob']); // Alice closed her tab without a "stopped"
    vi.advanceTimersByTime(3000);
    expect(store.typersOf('c1')).toEqual([]);
    expect(store.byConversation).toEqual({});
  });

  it('prunes by an explicit clock too (pure)', () => {
    const store = useTypingStore();
    store.applyTyping(typingEvent('u-alice', 'Alice'), 1_000);
    store.prune(1_000 + TYPING_TTL_MS - 1);
    expect(store.typersOf('c1')).toEqual(['Alice']);
    store.prune(1_000 + TYPING_TTL_MS);
    expect(store.typersOf('c1')).toEqual([]);
  });
});
