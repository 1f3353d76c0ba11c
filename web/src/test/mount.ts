import { createPinia, setActivePinia, type Pinia } from 'pinia';
import ElementPlus from 'element-plus';
import { createMemoryHistory, createRouter, type Router, type RouteRecordRaw } from 'vue-router';
import { defineComponent, h, type Plugin } from 'vue';
import { i18n, setLocale } from '../i18n';
import { installAuthGuard, routes } from '../router';

const RouteStub = defineComponent({ name: 'RouteStub', render: () => h('div') });

/** The app's routes and guard, with each lazy view replaced so a test mounts only what it means to. */
function stubbedRoutes(): RouteRecordRaw[] {
  return routes.map((route): RouteRecordRaw => {
    if ('redirect' in route && route.redirect !== undefined) return route;
    return { path: route.path, name: route.name, meta: route.meta, component: RouteStub };
  });
}

/** The app's plugins for a component test: a fresh Pinia, the real i18n (English) and router (memory). */
export function createTestApp(): { pinia: Pinia; router: Router; plugins: Plugin[] } {
  const pinia = createPinia();
  setActivePinia(pinia);
  setLocale('en');
  const router = createRouter({ history: createMemoryHistory(), routes: stubbedRoutes() });
  installAuthGuard(router);
  return { pinia, router, plugins: [pinia, i18n, ElementPlus, router] };
}
