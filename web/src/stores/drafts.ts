import { acceptHMRUpdate, defineStore } from 'pinia';
import { ref } from 'vue';

/** Unsent composer text per conversation, kept while the agent moves between conversations. */
export const useDraftsStore = defineStore('drafts', () => {
  const drafts = ref<Record<string, string>>({});

  function draftOf(conversationId: string): string {
    return drafts.value[conversationId] ?? '';
  }

  function setDraft(conversationId: string, text: string): void {
    if (text === '') delete drafts.value[conversationId];
    else drafts.value[conversationId] = text;
  }

  function reset(): void {
    drafts.value = {};
  }

  return { drafts, draftOf, setDraft, reset };
});

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDraftsStore, import.meta.hot));
