import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { SecuritySettings } from '@inbox/shared';
import * as api from '../api/security';

/** The 2FA policy and the per-user session cap (admins, on the users screen). */
export const useSecuritySettingsStore = defineStore('securitySettings', () => {
  const settings = ref<SecuritySettings | null>(null);

  function applySettings(value: SecuritySettings | null): void {
    settings.value = value;
  }

  async function load(): Promise<void> {
    applySettings(await api.getSecuritySettings());
  }

  async function save(body: SecuritySettings): Promise<SecuritySettings> {
    const saved = await api.updateSecuritySettings(body);
    applySettings(saved);
    return saved;
  }

  return { settings, applySettings, load, save };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSecuritySettingsStore, import.meta.hot));
