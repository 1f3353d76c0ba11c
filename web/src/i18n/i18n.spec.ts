import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '@inbox/shared';
import {
  detectLocale,
  elementLocale,
  errorMessageKey,
  i18n,
  LOCALE_STORAGE_KEY,
  messages,
  setLocale,
  SUPPORTED_LOCALES,
} from '.';
import { ApiError } from '../api/http';

/** Every leaf of a message tree as [dotted path (`errors.auth/throttled`), raw message]. */
function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (typeof tree !== 'object' || tree === null) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([key, value]) => leaves(value, prefix ? `${prefix}.${key}` : key));
}

function leafKeys(tree: unknown): string[] {
  return leaves(tree).map(([key]) => key);
}

const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('messages', () => {
  it.each(SUPPORTED_LOCALES)('%s has a message for every error code', (locale) => {
    const errors: Record<string, unknown> = messages[locale].errors;
    for (const code of errorCodes) {
      expect(errors[code], `${locale} errors.${code}`).toEqual(expect.stringMatching(/\S/));
    }
    expect(Object.keys(errors).sort()).toEqual([...errorCodes].sort());
  });

  it('zh-CN and en have the same keys', () => {
    expect(leafKeys(messages['zh-CN']).sort()).toEqual(leafKeys(messages.en).sort());
  });

  it.each(SUPPORTED_LOCALES)('every %s message renders (no syntax errors, no fallback)', (locale) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const previous = i18n.global.locale.value;
    i18n.global.locale.value = locale;
    try {
      for (const [key, raw] of leaves(messages[locale])) {
        expect(typeof raw, key).toBe('string');
        const text = i18n.global.t(key, { seconds: 5 });
        expect(text, key).not.toBe(key);
        expect(text, key).toMatch(/\S/);
        // Without placeholders a message must come out verbatim: a stray `|` (plural) or `@` (link)
        // would otherwise silently cut or change it.
        if (typeof raw === 'string' && !raw.includes('{')) expect(text, key).toBe(raw);
      }
    } finally {
      i18n.global.locale.value = previous;
    }
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('maps an ApiError to its code and anything else to the generic error', () => {
    expect(errorMessageKey(new ApiError(429, 'auth/throttled', 'slow down'))).toBe('errors.auth/throttled');
    expect(errorMessageKey(new Error('boom'))).toBe('errors.http/internal');
    expect(i18n.global.t(errorMessageKey(new ApiError(401, 'auth/invalid_credentials', '')))).toBe(
      messages[i18n.global.locale.value].errors['auth/invalid_credentials'],
    );
  });
});

describe('locale choice', () => {
  afterEach(() => {
    localStorage.clear();
  });

  it('defaults to zh-CN for any Chinese browser language', () => {
    vi.stubGlobal('navigator', { language: 'zh-TW' });
    expect(detectLocale()).toBe('zh-CN');
    vi.stubGlobal('navigator', { language: 'zh' });
    expect(detectLocale()).toBe('zh-CN');
  });

  it('defaults to English otherwise', () => {
    vi.stubGlobal('navigator', { language: 'fr-FR' });
    expect(detectLocale()).toBe('en');
  });

  it('prefers the saved choice and ignores junk in storage', () => {
    vi.stubGlobal('navigator', { language: 'zh-CN' });
    localStorage.setItem(LOCALE_STORAGE_KEY, 'en');
    expect(detectLocale()).toBe('en');
    localStorage.setItem(LOCALE_STORAGE_KEY, 'klingon');
    expect(detectLocale()).toBe('zh-CN');
  });

  it('setLocale switches messages and Element Plus, and persists the choice', () => {
    setLocale('en');
    expect(i18n.global.t('login.submit')).toBe('Sign in');
    expect(elementLocale.value.name).toBe('en');
    expect(document.documentElement.lang).toBe('en');

    setLocale('zh-CN');
    expect(i18n.global.t('login.submit')).toBe('登录');
    expect(elementLocale.value.name).toBe('zh-cn');
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('zh-CN');
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
