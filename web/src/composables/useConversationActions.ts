import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage } from 'element-plus';
import type { Conversation } from '@inbox/shared';
import { errorMessageKey } from '../i18n';
import { useAuthStore } from '../stores/auth';
import { useConversationsStore } from '../stores/conversations';

/** Assign, resolve, reopen and snooze, with a translated confirmation or error. */
export function useConversationActions() {
  const { t } = useI18n();
  const auth = useAuthStore();
  const conversations = useConversationsStore();
  const busy = ref(false);

  async function run(action: () => Promise<void>, done: string): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    try {
      await action();
      ElMessage.success({ message: done, duration: 2000 });
      return true;
    } catch (error) {
      ElMessage.error(t(errorMessageKey(error)));
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    busy,
    resolve: (c: Conversation) => run(() => conversations.setStatus(c.id, 'resolved'), t('thread.resolved')),
    reopen: (c: Conversation) => run(() => conversations.setStatus(c.id, 'open'), t('thread.reopened')),
    snooze: (c: Conversation, until: Date) =>
      run(() => conversations.setStatus(c.id, 'snoozed', until.toISOString()), t('thread.snoozed')),
    assignToMe: (c: Conversation) => run(() => conversations.assign(c.id, auth.user?.id ?? null), t('thread.assigned')),
    unassign: (c: Conversation) => run(() => conversations.assign(c.id, null), t('thread.unassigned')),
  };
}
