import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_IDLE_MS, TYPING_REPEAT_MS, TypingNotifier } from './typing-notifier';

describe('TypingNotifier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const emit = vi.fn<(conversationId: string, typing: boolean) => void>();
    return { emit, notifier: new TypingNotifier(emit) };
  }

  it('says "typing" at most once every 3 s while keys are pressed', () => {
    const { emit, notifier } = setup();
    notifier.input('c1');
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(500);
      notifier.input('c1');
    }
    expect(emit.mock.calls).toEqual([['c1', true]]);
    vi.advanceTimersByTime(TYPING_REPEAT_MS - 2500);
    notifier.input('c1');
    expect(emit.mock.calls).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
  });

  it('says "stopped" after 5 s without a key, once', () => {
    const { emit, notifier } = setup();
    notifier.input('c1');
    vi.advanceTimersByTime(TYPING_IDLE_MS - 1);
    expect(emit).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(emit.mock.calls).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    vi.advanceTimersByTime(TYPING_IDLE_MS * 2);
    notifier.stop(); // already stopped: nothing more
    expect(emit).toHaveBeenCalledTimes(2);
    notifier.input('c1'); // typing again starts a new hint at once
    expect(emit).toHaveBeenLastCalledWith('c1', true);
  });

  it('says "stopped" on send and when the agent moves to another conversation', () => {
    const { emit, notifier } = setup();
    notifier.input('c1');
    notifier.stop(); // sent
    notifier.input('c1');
    notifier.input('c2'); // switched conversation while typing
    expect(emit.mock.calls).toEqual([
      ['c1', true],
      ['c1', false],
      ['c1', true],
      ['c1', false],
      ['c2', true],
    ]);
  });

  it('says nothing on stop when it never said "typing"', () => {
    const { emit, notifier } = setup();
    notifier.stop();
    expect(emit).not.toHaveBeenCalled();
  });
});
