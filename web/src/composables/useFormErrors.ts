import { ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormInstance, FormItemRule } from 'element-plus';
import type { ErrorCode } from '@inbox/shared';
import { ApiError } from '../api/http';
import { errorKey, errorMessageKey } from '../i18n';

export interface FormErrorsOptions<F extends string> {
  /** The form's fields; a server field error naming one of them is shown under it. */
  fields: readonly F[];
  /** The form's values: typing in a field clears the server's message under it. */
  values: () => Record<F, unknown>;
  /** Error codes that are about one field, e.g. `teams/name_taken` -> `name`. */
  codeFields?: Partial<Record<ErrorCode, F>>;
  /**
   * The console's own words for a field the server refused (the local rule's message), when the local
   * rule sees the problem too; otherwise the server's messages are shown.
   */
  describe?: (field: F) => string | null;
}

/**
 * Server answers of a form dialog, shown where they belong: field errors (`validation/failed` fields,
 * or a code about one field such as a taken name) under their fields, anything else above the form.
 */
export function useFormErrors<F extends string>(options: FormErrorsOptions<F>) {
  const { t } = useI18n();
  const fieldErrors: Ref<Partial<Record<F, string>>> = ref({});
  const formError = ref<string | null>(null);

  const isField = (value: string): value is F => (options.fields as readonly string[]).includes(value);

  for (const field of options.fields) {
    watch(
      () => options.values()[field],
      () => {
        if (fieldErrors.value[field] !== undefined) {
          const next = { ...fieldErrors.value };
          delete next[field];
          fieldErrors.value = next;
        }
      },
    );
  }

  function clear(): void {
    fieldErrors.value = {};
    formError.value = null;
  }

  function show(error: unknown): void {
    clear();
    if (error instanceof ApiError) {
      const field = options.codeFields?.[error.code];
      if (field !== undefined) {
        fieldErrors.value = { [field]: t(errorKey(error.code)) } as Partial<Record<F, string>>;
        return;
      }
      if (error.code === 'validation/failed' && error.fields) {
        const next: Partial<Record<F, string>> = {};
        const rest: string[] = [];
        for (const [name, messages] of Object.entries(error.fields)) {
          if (isField(name)) next[name] = options.describe?.(name) ?? messages.join('; ');
          else rest.push(...messages);
        }
        fieldErrors.value = next;
        if (rest.length > 0 || Object.keys(next).length === 0) {
          formError.value = [t(errorKey(error.code)), ...rest].join(' ');
        }
        return;
      }
    }
    formError.value = t(errorMessageKey(error));
  }

  /** An Element Plus rule that checks `field` with `describe` (the same words the server's refusal gets). */
  function rule(field: F, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
    return {
      trigger,
      validator: (_rule, _value, callback) => {
        const message = options.describe?.(field) ?? null;
        if (message) callback(new Error(message));
        else callback();
      },
    };
  }

  const saving = ref(false);

  /**
   * Validates the form, then runs `save` once at a time; a refusal is shown where it belongs. True when
   * it saved.
   */
  async function submit(form: FormInstance | undefined, save: () => Promise<void>): Promise<boolean> {
    if (saving.value) return false;
    formError.value = null;
    const valid = await form?.validate().catch(() => false);
    if (!valid) return false;
    saving.value = true;
    try {
      await save();
      return true;
    } catch (error) {
      show(error);
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { fieldErrors, formError, clear, show, rule, saving, submit };
}
