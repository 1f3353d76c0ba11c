import { startTestApp, type TestApp } from '../../test/app';
import { UsersService } from './users.service';

describe('first admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is created once even when several instances start together, and an existing admin is left alone', async () => {
    const users = t.app.get(UsersService);
    const results = await Promise.all([1, 2, 3, 4].map(() => users.ensureFirstAdmin('boss@example.com', undefined)));
    const made = results.filter((r) => r !== undefined);
    expect(made).toHaveLength(1);
    expect(made[0]?.email).toBe('boss@example.com');
    expect(made[0]?.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const rows: unknown[] = await t.ds.query(`SELECT 1 FROM users WHERE role = 'admin'`);
    expect(rows).toHaveLength(1);
    expect(await users.ensureFirstAdmin('other@example.com', 'another-password')).toBeUndefined();
  });
});
