import { vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import type { Me, Role } from '@inbox/shared';
import { useAuthStore } from '../stores/auth';

/** The input or textarea with this id (dialogs are teleported to the body). */
export function field(id: string): HTMLInputElement | HTMLTextAreaElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) throw new Error(`no input #${id}`);
  return el;
}

export function inputValue(id: string): string {
  return field(id).value;
}

/** Types into fields by id, as a user would (an `input` event each). */
export async function fill(fields: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(fields)) {
    const el = field(id);
    el.value = value;
    el.dispatchEvent(new Event('input'));
  }
  await flushPromises();
}

/** Clicks the submit button of a `FormDialog` named `name`. */
export async function submitDialog(name: string): Promise<void> {
  const button = document.querySelector(`[data-test="${name}-submit"]`);
  if (!(button instanceof HTMLButtonElement)) throw new Error(`no submit button for ${name}`);
  button.click();
  await flushPromises();
  await flushPromises();
}

/** The messages shown under form fields. */
export function fieldErrors(): (string | undefined)[] {
  return Array.from(document.querySelectorAll('.el-form-item__error'), (e) => e.textContent?.trim());
}

/** The error shown above a `FormDialog`'s form, if any. */
export function formError(name: string): string | undefined {
  return document.querySelector(`[data-test="${name}-form-error"]`)?.textContent?.trim();
}

/** A signed-in user of this role (the router's guard then asks nobody for the session). */
export function signInAs(role: Role, overrides: Partial<Me> = {}): Me {
  const me: Me = { id: 'me', email: `${role}@example.com`, name: `The ${role}`, role, accountIds: [], ...overrides };
  useAuthStore().applyMe(me);
  return me;
}

/**
 * Replaces fetch with answers by `METHOD /path` (query ignored), so the order of a page's calls does not
 * matter; an answer may be a function of the call's JSON body. Unexpected calls fail.
 */
export function routeFetch(routes: Record<string, (body: unknown) => Response>) {
  const fn = vi.fn<typeof fetch>(async (input, init) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    const key = `${init?.method ?? 'GET'} ${path.split('?')[0] ?? ''}`;
    const answer = routes[key];
    if (!answer) throw new Error(`unexpected fetch ${key}`);
    return answer(typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined);
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}
