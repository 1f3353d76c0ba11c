import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ElMessage, ElMessageBox } from 'element-plus';
import { errorMessageKey } from '../i18n';

/**
 * What every admin list screen does around its store: load once with an error to retry, one row busy
 * at a time, a confirmation before deleting, a toast for the outcome of a row action.
 */
export function useAdminList(loadItems: () => Promise<void>) {
  const { t } = useI18n();
  const loading = ref(false);
  const loaded = ref(false);
  const loadError = ref<unknown>(null);
  const busyId = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      await loadItems();
      loaded.value = true;
    } catch (error) {
      loadError.value = error;
    } finally {
      loading.value = false;
    }
  }

  /** Asks before a destructive action; false when the user cancels. */
  async function confirmDelete(message: string, title: string): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, title, {
        type: 'warning',
        confirmButtonText: t('adminCatalog.delete'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Runs a row action with the row marked busy; says `done` on success and the error otherwise. */
  async function runRow(id: string, action: () => Promise<unknown>, done: string): Promise<boolean> {
    busyId.value = id;
    try {
      await action();
      ElMessage.success(done);
      return true;
    } catch (error) {
      ElMessage.error(t(errorMessageKey(error)));
      return false;
    } finally {
      busyId.value = null;
    }
  }

  return { loading, loaded, loadError, busyId, load, confirmDelete, runRow };
}
