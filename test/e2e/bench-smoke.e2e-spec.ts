import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/server-process';

/** The bench is not part of `npm test`, but a tiny run of it is, so it never rots. */
describe('npm run bench (smoke)', () => {
  it('runs every scenario against the project and the baseline and writes numbers', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-smoke-')), 'results.json');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'test/dist/bench/run.js'), '--smoke', '--out', out], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_ADMIN_URL },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('exit', resolve);
    });
    expect(code).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as {
      rows: Array<{ scenario: string; project: number | null; baseline: number | null }>;
    };
    for (const n of ['1', '2', '3', '4', '5', '6', '7']) {
      const row = results.rows.find((r) => r.scenario.startsWith(`${n} `));
      expect(row).toBeDefined();
      expect(Number.isFinite(row?.project)).toBe(true);
    }
    const ingest = results.rows.find((r) => r.scenario.startsWith('1 '));
    expect(ingest?.baseline).toBeGreaterThan(0);
  }, 300000);
});
