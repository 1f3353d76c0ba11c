import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoginRequest, Me } from '@inbox/shared';
import * as authApi from '../api/auth';
import { ApiError } from '../api/http';

export const useAuthStore = defineStore('auth', () => {
  /** The signed-in user, or null when there is no session. */
  const user = ref<Me | null>(null);
  /** True once the session has been asked for (whatever the answer). */
  const loaded = ref(false);

  /** The 2FA policy requires a second factor and none is enrolled: only enrolment is reachable. */
  const enrolmentRequired = computed(() => user.value?.totpEnrolmentRequired === true);

  let loading: Promise<void> | null = null;

  /** Sets the session user; the one place `user` changes. */
  function applyMe(me: Me | null): void {
    user.value = me;
    loaded.value = true;
  }

  /** Second factor turned on or off for the signed-in user; enrolling lifts the enrolment restriction. */
  function applyTotpEnabled(enabled: boolean): void {
    if (!user.value) return;
    user.value = {
      ...user.value,
      totpEnabled: enabled,
      totpEnrolmentRequired: enabled ? false : user.value.totpEnrolmentRequired,
    };
  }

  /**
   * Asks the server who is signed in. A 401 means no session. Any other failure (server down)
   * also leaves the user signed out, so the login page can show the real error on the next try.
   * Concurrent calls share one request.
   */
  function load(): Promise<void> {
    loading ??= (async () => {
      try {
        applyMe(await authApi.me());
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        applyMe(null);
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  /** Signs in; throws the ApiError (e.g. `auth/totp_required`) for the view to show. */
  async function login(req: LoginRequest): Promise<Me> {
    const response = await authApi.login(req);
    applyMe(response.user);
    return response.user;
  }

  /** Ends the session. The local state is cleared even if the server could not be told. */
  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } finally {
      applyMe(null);
    }
  }

  return { user, loaded, enrolmentRequired, applyMe, applyTotpEnabled, load, login, logout };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAuthStore, import.meta.hot));
