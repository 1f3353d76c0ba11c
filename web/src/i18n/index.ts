import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import type { Language } from 'element-plus/es/locale';
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import { isErrorCode, type ErrorCode } from '@inbox/shared';
import en, { type MessageSchema } from './en';
import zhCN from './zh-CN';

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];

export const LOCALE_STORAGE_KEY = 'inbox.locale';

export const messages: Record<AppLocale, MessageSchema> = { 'zh-CN': zhCN, en };

const elementLocales: Record<AppLocale, Language> = { 'zh-CN': elementZhCn, en: elementEn };

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): AppLocale | undefined {
  try {
    const stored = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY);
    return isAppLocale(stored) ? stored : undefined;
  } catch {
    return undefined; // storage can be disabled (privacy mode); fall back to the browser language
  }
}

/** The saved choice, else zh-CN for a Chinese browser, else English. */
export function detectLocale(): AppLocale {
  const stored = readStoredLocale();
  if (stored) return stored;
  const browser = globalThis.navigator?.language ?? '';
  return browser.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const i18n = createI18n<[MessageSchema], AppLocale, false>({
  legacy: false,
  locale: detectLocale(),
  fallbackLocale: 'en',
  messages,
});

function applyDocumentLanguage(locale: AppLocale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
applyDocumentLanguage(i18n.global.locale.value);

/** Switches the console language and remembers the choice in this browser. */
export function setLocale(locale: AppLocale): void {
  i18n.global.locale.value = locale;
  applyDocumentLanguage(locale);
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // not persisted; the choice still applies to this page
  }
}

/** Element Plus's own strings (pagination, date pickers, empty states) follow the console language. */
export const elementLocale = computed<Language>(() => elementLocales[i18n.global.locale.value]);

/** The message key of an error code, e.g. `errors.auth/throttled`. */
export function errorKey(code: ErrorCode): `errors.${ErrorCode}` {
  return `errors.${code}`;
}

/** A translated message for any thrown value: an API error code, else the generic server error. */
export function errorMessageKey(error: unknown): `errors.${ErrorCode}` {
  if (typeof error === 'object' && error !== null && 'code' in error && isErrorCode(error.code)) {
    return errorKey(error.code);
  }
  return errorKey('http/internal');
}
