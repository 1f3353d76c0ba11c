import type { Locator, Page } from 'playwright-core';

/** A small JSON client holding one session cookie. */
export class ApiClient {
  private cookie = '';
  constructor(public base: string) {}

  async login(email: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Waits until the locator's text contains `expected` (Playwright's auto-waiting, without @playwright/test). */
export async function expectText(locator: Locator, expected: string): Promise<void> {
  try {
    await locator.filter({ hasText: expected }).first().waitFor({ timeout: 15000 });
  } catch {
    const actual = await locator.allTextContents().catch(() => []);
    throw new Error(`expected ${String(locator)} to contain "${expected}", got ${JSON.stringify(actual)}`);
  }
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Moves focus off inputs so single-key shortcuts reach the page. */
export async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** Signs in through the login page and waits to be let in. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await page.waitForURL(/\/login/);
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.locator('[data-test="login-submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Picks an option of an Element Plus select (its options live in a popper at the end of the body). */
export async function choose(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click();
}
