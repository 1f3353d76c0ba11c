import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import { beep } from '../lib/beep';

export const SOUND_STORAGE_KEY = 'inbox.soundMuted';

export type NotificationState = NotificationPermission | 'unsupported';

function readMuted(): boolean {
  try {
    return globalThis.localStorage?.getItem(SOUND_STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

function notificationState(): NotificationState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** New-message alerts: a sound (can be muted, remembered in this browser) and browser notifications. */
export const useAlertsStore = defineStore('alerts', () => {
  const muted = ref(readMuted());
  const permission = ref<NotificationState>(notificationState());

  function setMuted(value: boolean): void {
    muted.value = value;
    try {
      globalThis.localStorage?.setItem(SOUND_STORAGE_KEY, value ? '1' : '0');
    } catch {
      // not remembered; still applies to this page
    }
  }

  /** Asks for permission to show browser notifications (must follow a click). */
  async function requestPermission(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    permission.value = await Notification.requestPermission();
  }

  /** One alert: the sound unless muted, and a notification when permitted. Clicking it calls `onClick`. */
  function alert(input: { title: string; body: string; tag: string; onClick?: () => void }): void {
    if (!muted.value) beep();
    permission.value = notificationState();
    if (permission.value !== 'granted') return;
    try {
      const n = new Notification(input.title, { body: input.body, tag: input.tag });
      n.onclick = () => {
        globalThis.focus();
        input.onClick?.();
        n.close();
      };
    } catch {
      // some browsers only allow notifications from a service worker
    }
  }

  return { muted, permission, setMuted, requestPermission, alert };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAlertsStore, import.meta.hot));
