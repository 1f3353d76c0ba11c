import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { usePolling } from './usePolling';

function host(task: () => Promise<void>, intervalMs: number) {
  let poll: ReturnType<typeof usePolling> | undefined;
  const wrapper = mount(
    defineComponent({
      setup() {
        poll = usePolling(task, intervalMs);
        return () => h('div');
      },
    }),
  );
  if (!poll) throw new Error('not set up');
  return { wrapper, poll };
}

describe('usePolling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at mount, then again an interval after each run ends, until unmounted', async () => {
    const task = vi.fn(() => Promise.resolve());
    const { wrapper } = host(task, 1000);
    await flushPromises();
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(task).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(2);
    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(5000);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('never overlaps runs, keeps going after a failure, and now() restarts the wait', async () => {
    let finish: (() => void) | undefined;
    const task = vi
      .fn<() => Promise<void>>()
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)))
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue(undefined);
    const { wrapper, poll } = host(task, 1000);
    await flushPromises();
    void poll.now(); // the first run is still going: no second one
    await vi.advanceTimersByTimeAsync(3000);
    expect(task).toHaveBeenCalledTimes(1);
    finish?.();
    await vi.advanceTimersByTimeAsync(1000);
    expect(task).toHaveBeenCalledTimes(2); // failed, yet polling goes on
    await vi.advanceTimersByTimeAsync(500);
    await poll.now();
    expect(task).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(task).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(task).toHaveBeenCalledTimes(4);
    wrapper.unmount();
  });
});
