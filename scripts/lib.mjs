// Helpers shared by the root scripts (start, test). Plain Node, no build step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const BUILT = [
  'shared/dist/index.js',
  'migrations/dist/index.js',
  'server/dist/main.js',
  'web/dist/index.html',
  'test/dist/bench/run.js',
];
const SOURCES = [
  'shared/src',
  'migrations/src',
  'server/src',
  'web/src',
  'web/index.html',
  'test/bench',
  'test/support',
];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds every package when an output is missing or older than the sources. */
export function ensureBuilt() {
  const outputs = BUILT.map((p) => join(root, p));
  const missing = outputs.some((p) => !existsSync(p));
  const stale =
    !missing &&
    Math.max(...SOURCES.map((p) => newestMtime(join(root, p)))) > Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  if (!missing && !stale) return;
  console.log(missing ? 'First run: building the server and the console…' : 'Sources changed: rebuilding…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
