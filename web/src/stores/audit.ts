import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';
import type { AuditEntry, Page } from '@inbox/shared';
import * as api from '../api/audit';
import { toAuditQuery, type AuditFilters } from '../lib/audit-filters';

/** The audit log screen: the entries of the current filters, newest first, paged by cursor. */
export const useAuditStore = defineStore('audit', () => {
  const entries = ref<AuditEntry[]>([]);
  const nextCursor = ref<string | null>(null);
  /** The filters the shown entries answer; "load more" keeps to them. */
  let filters: AuditFilters | null = null;

  /** A page from the server: the first replaces, later ones append (without repeats). */
  function applyPage(page: Page<AuditEntry>, append: boolean): void {
    if (append) {
      const seen = new Set(entries.value.map((e) => e.id));
      entries.value = [...entries.value, ...page.items.filter((e) => !seen.has(e.id))];
    } else {
      entries.value = page.items;
    }
    nextCursor.value = page.nextCursor;
  }

  async function load(next: AuditFilters): Promise<void> {
    filters = { ...next };
    const page = await api.listAudit(toAuditQuery(filters));
    applyPage(page, false);
  }

  async function loadMore(): Promise<void> {
    if (!filters || !nextCursor.value) return;
    const page = await api.listAudit(toAuditQuery(filters, nextCursor.value));
    applyPage(page, true);
  }

  function reset(): void {
    entries.value = [];
    nextCursor.value = null;
    filters = null;
  }

  return { entries, nextCursor, applyPage, load, loadMore, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useAuditStore, import.meta.hot));
