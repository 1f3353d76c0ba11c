import {
  createRouter,
  createWebHistory,
  type RouteLocationRaw,
  type Router,
  type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router';
import type { Role } from '@inbox/shared';
import { useAuthStore } from '../stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (only the login page for now). */
    public?: boolean;
    /** Only these roles may open the page; others are sent to the inbox. */
    roles?: readonly Role[];
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/LoginView.vue'),
    meta: { public: true },
  },
  {
    path: '/',
    name: 'inbox',
    component: () => import('../views/InboxView.vue'),
  },
  {
    // The customer's phone of the built-in WeChat; the page itself says so when the sandbox is off.
    path: '/sandbox',
    name: 'sandbox',
    component: () => import('../views/SandboxView.vue'),
  },
  {
    // Password, second factor and sessions of the signed-in user; also the 2FA enrolment screen.
    path: '/account/security',
    name: 'account-security',
    component: () => import('../views/AccountSecurityView.vue'),
  },
  { path: '/admin', redirect: '/admin/accounts' },
  {
    path: '/admin/accounts',
    name: 'admin-accounts',
    component: () => import('../views/AdminAccountsView.vue'),
    meta: { roles: ['admin'] },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('../views/AdminUsersView.vue'),
    meta: { roles: ['admin'] },
  },
  {
    path: '/admin/teams',
    name: 'admin-teams',
    component: () => import('../views/AdminTeamsView.vue'),
    meta: { roles: ['admin', 'supervisor'] },
  },
  {
    path: '/admin/labels',
    name: 'admin-labels',
    component: () => import('../views/AdminLabelsView.vue'),
    meta: { roles: ['admin', 'supervisor'] },
  },
  {
    path: '/admin/canned-responses',
    name: 'admin-canned-responses',
    component: () => import('../views/AdminCannedResponsesView.vue'),
    meta: { roles: ['admin', 'supervisor'] },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('../views/AdminAuditView.vue'),
    meta: { roles: ['admin'] },
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
];

/** Only same-app paths are followed after login (never `//evil.example` or an absolute URL). */
export function safeRedirect(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) {
    return value;
  }
  return '/';
}

/** The screen a user who must enrol a second factor is kept on. */
export const ENROLMENT_ROUTE = 'account-security';

/**
 * Loads the session once, keeps signed-out users on /login and signed-in users off it, and keeps a
 * user whom the 2FA policy requires to enrol on the enrolment screen until they have.
 */
export function installAuthGuard(router: Router): void {
  router.beforeEach(async (to): Promise<RouteLocationRaw | true> => {
    const auth = useAuthStore();
    if (!auth.loaded) await auth.load();

    if (to.meta.public) {
      if (auth.user && to.name === 'login') return safeRedirect(to.query.redirect);
      return true;
    }
    if (!auth.user) {
      return to.fullPath === '/' ? { name: 'login' } : { name: 'login', query: { redirect: to.fullPath } };
    }
    if (auth.enrolmentRequired && to.name !== ENROLMENT_ROUTE) return { name: ENROLMENT_ROUTE };
    if (to.meta.roles && !to.meta.roles.includes(auth.user.role)) {
      // `/admin` leads to the first admin screen the role may open: teams, for a supervisor.
      if (to.redirectedFrom?.path === '/admin' && auth.user.role === 'supervisor') return { name: 'admin-teams' };
      return { name: 'inbox' };
    }
    return true;
  });
}

export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)): Router {
  const router = createRouter({ history, routes });
  installAuthGuard(router);
  return router;
}
