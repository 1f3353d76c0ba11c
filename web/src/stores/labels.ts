import { acceptHMRUpdate, defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Label, SaveLabelRequest } from '@inbox/shared';
import * as api from '../api/labels';
import { ApiError } from '../api/http';

/**
 * Conversation tags, shared by every account: names and colours for chips and the label filter, and (for
 * admins and supervisors) what the labels screen edits.
 */
export const useLabelsStore = defineStore('labels', () => {
  const items = ref<Label[]>([]);
  const loaded = ref(false);

  const byId = computed<Record<string, Label>>(() => Object.fromEntries(items.value.map((l) => [l.id, l])));
  const sorted = computed<Label[]>(() => [...items.value].sort((a, b) => a.name.localeCompare(b.name)));

  function applyLabels(list: Label[]): void {
    items.value = list;
    loaded.value = true;
  }

  /** A new or changed label (an answer of POST or PATCH): replaces the copy with the same id. */
  function applyLabel(label: Label): void {
    const index = items.value.findIndex((l) => l.id === label.id);
    if (index === -1) items.value.push(label);
    else items.value.splice(index, 1, label);
  }

  function applyLabelRemoved(id: string): void {
    items.value = items.value.filter((l) => l.id !== id);
  }

  async function load(): Promise<void> {
    applyLabels(await api.listLabels());
  }

  async function create(body: SaveLabelRequest): Promise<Label> {
    const label = await api.createLabel(body);
    applyLabel(label);
    return label;
  }

  async function update(id: string, body: SaveLabelRequest): Promise<Label> {
    const label = await api.updateLabel(id, body);
    applyLabel(label);
    return label;
  }

  async function remove(id: string): Promise<void> {
    try {
      await api.deleteLabel(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'labels/not_found')) throw error;
    }
    applyLabelRemoved(id);
  }

  /** The labels with these ids that still exist, by name (unknown ids are left out). */
  function labelsOf(ids: readonly string[]): Label[] {
    const wanted = new Set(ids);
    return sorted.value.filter((l) => wanted.has(l.id));
  }

  function nameOf(id: string): string | undefined {
    return byId.value[id]?.name;
  }

  function reset(): void {
    items.value = [];
    loaded.value = false;
  }

  return {
    items,
    loaded,
    byId,
    sorted,
    applyLabels,
    applyLabel,
    applyLabelRemoved,
    load,
    create,
    update,
    remove,
    labelsOf,
    nameOf,
    reset,
  };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLabelsStore, import.meta.hot));
