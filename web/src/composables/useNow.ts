import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** The current time in ms, refreshed every `intervalMs` while the component is mounted. */
export function useNow(intervalMs = 30000): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    now.value = Date.now();
    timer = setInterval(() => (now.value = Date.now()), intervalMs);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}
