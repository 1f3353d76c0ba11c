import { computed, ref, watch, type Ref } from 'vue';
import type { Conversation } from '@inbox/shared';
import { listConversations } from '../api/conversations';

/**
 * The other conversations of a customer, newest first: what the server has for this contact (every
 * status, `GET /api/conversations?contactId=`), each replaced by the live copy of `known` when there is
 * one, plus any loaded one the answer did not include yet. Without the active conversation.
 */
export function mergeHistory(
  active: Conversation,
  fetched: readonly Conversation[],
  known: Readonly<Record<string, Conversation>>,
): Conversation[] {
  const byId = new Map<string, Conversation>();
  for (const c of fetched) if (c.contact.id === active.contact.id) byId.set(c.id, known[c.id] ?? c);
  for (const c of Object.values(known)) if (c.contact.id === active.contact.id) byId.set(c.id, c);
  byId.delete(active.id);
  return [...byId.values()].sort((a, b) => (a.lastMessageAt < b.lastMessageAt ? 1 : -1));
}

/** Loads a customer's history when the active conversation's customer changes; an old answer is dropped. */
export function useCustomerHistory(
  active: Ref<Conversation | null | undefined>,
  known: Ref<Readonly<Record<string, Conversation>>>,
) {
  const fetched = ref<Conversation[]>([]);
  const contactId = computed(() => active.value?.contact.id ?? null);

  watch(
    contactId,
    async (id) => {
      fetched.value = [];
      if (!id) return;
      try {
        const page = await listConversations({ contactId: id, limit: 20 });
        if (contactId.value === id) fetched.value = page.items;
      } catch {
        // The panel then shows the loaded conversations only.
      }
    },
    { immediate: true },
  );

  return computed<Conversation[]>(() => (active.value ? mergeHistory(active.value, fetched.value, known.value) : []));
}
