import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { ChangePasswordRequest, SessionInfo, TotpSetupResponse } from '@inbox/shared';
import * as authApi from '../api/auth';
import { useAuthStore } from './auth';

/** My own account's security: password, second factor and sessions (`/account/security`). */
export const useAccountSecurityStore = defineStore('accountSecurity', () => {
  const sessions = ref<SessionInfo[]>([]);
  /** A pending enrolment: the seed and QR code, until a code confirms it. */
  const setup = ref<TotpSetupResponse | null>(null);
  /** Fresh recovery codes, held only until the user says they are saved; never fetched again. */
  const recoveryCodes = ref<string[] | null>(null);

  /** This device first, then the most recently used. */
  const sortedSessions = computed<SessionInfo[]>(() =>
    [...sessions.value].sort((a, b) => {
      if (a.current !== b.current) return a.current ? -1 : 1;
      return b.lastSeenAt.localeCompare(a.lastSeenAt);
    }),
  );

  function applySessions(list: SessionInfo[]): void {
    sessions.value = list;
  }

  function applySessionRevoked(id: string): void {
    sessions.value = sessions.value.filter((s) => s.id !== id);
  }

  /** After "log out everywhere else": only this device is left. */
  function applyOthersRevoked(): void {
    sessions.value = sessions.value.filter((s) => s.current);
  }

  function applySetup(value: TotpSetupResponse | null): void {
    setup.value = value;
  }

  /** New codes to show once; the pending setup (if any) is done with. */
  function applyRecoveryCodes(codes: string[] | null): void {
    recoveryCodes.value = codes;
    if (codes) setup.value = null;
  }

  async function loadSessions(): Promise<void> {
    applySessions(await authApi.listSessions());
  }

  async function revokeSession(id: string): Promise<void> {
    await authApi.revokeSession(id);
    applySessionRevoked(id);
  }

  async function revokeOthers(): Promise<number> {
    const { revoked } = await authApi.revokeOtherSessions();
    applyOthersRevoked();
    return revoked;
  }

  /** Changing the password ends my other sessions. */
  async function changePassword(body: ChangePasswordRequest): Promise<void> {
    await authApi.changePassword(body);
    applyOthersRevoked();
  }

  async function startEnrolment(): Promise<TotpSetupResponse> {
    const value = await authApi.totpSetup();
    applySetup(value);
    return value;
  }

  function cancelEnrolment(): void {
    applySetup(null);
  }

  async function confirmEnrolment(code: string): Promise<void> {
    const { recoveryCodes: codes } = await authApi.totpEnable({ code: code.replace(/\s+/g, '') });
    applyRecoveryCodes(codes);
    useAuthStore().applyTotpEnabled(true);
  }

  async function disableTotp(password: string): Promise<void> {
    await authApi.totpDisable({ password });
    applyRecoveryCodes(null);
    useAuthStore().applyTotpEnabled(false);
  }

  async function regenerateRecoveryCodes(password: string): Promise<void> {
    const { recoveryCodes: codes } = await authApi.regenerateRecoveryCodes({ password });
    applyRecoveryCodes(codes);
  }

  /** The user has saved the codes: they are gone from the page for good. */
  function dismissRecoveryCodes(): void {
    applyRecoveryCodes(null);
  }

  function reset(): void {
    sessions.value = [];
    setup.value = null;
    recoveryCodes.value = null;
  }

  return {
    sessions,
    sortedSessions,
    setup,
    recoveryCodes,
    applySessions,
    applySessionRevoked,
    applyOthersRevoked,
    applySetup,
    applyRecoveryCodes,
    loadSessions,
    revokeSession,
    revokeOthers,
    changePassword,
    startEnrolment,
    cancelEnrolment,
    confirmEnrolment,
    disableTotp,
    regenerateRecoveryCodes,
    dismissRecoveryCodes,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAccountSecurityStore, import.meta.hot));
