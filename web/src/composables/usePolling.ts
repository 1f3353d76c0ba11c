import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Runs `task` when the component mounts and then again `intervalMs` after each run ends (runs never
 * overlap), until it unmounts. `now()` runs it at once (e.g. after a change), restarting the wait.
 * Failures are left to `task`; the polling goes on.
 */
export function usePolling(task: () => Promise<void>, intervalMs: number): { now: () => Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = true;
  let running: Promise<void> | null = null;

  function schedule(): void {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void now(), intervalMs);
  }

  function now(): Promise<void> {
    if (stopped) return Promise.resolve();
    clearTimeout(timer);
    running ??= (async () => {
      try {
        await task();
      } catch {
        // the next run tries again
      } finally {
        running = null;
        schedule();
      }
    })();
    return running;
  }

  onMounted(() => {
    stopped = false;
    void now();
  });
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
  });

  return { now };
}
