// Builds the console (vite build) only when dist/ is missing or older than its sources, so `npm start` stays fast
// after the first run. With --soft a failed build is reported but not fatal: the server still starts and its
// `/` page says how to build.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const soft = process.argv.includes('--soft');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public'];

/** The newest modification time (ms) under a file or folder; 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0; // not the folder's own time: adding a test file changes it
  for (const entry of readdirSync(path)) {
    // Tests are not part of the bundle: adding one must not cost the next `npm start` a rebuild.
    if (!/\.test\.tsx?$/.test(entry)) latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const built = newest(join(root, 'dist', 'index.html'));
const sources = Math.max(...SOURCES.map((p) => newest(join(root, p))));
if (built > sources) {
  console.log('console: dist/ is up to date');
  process.exit(0);
}
console.log(built ? 'console: sources changed, rebuilding dist/' : 'console: building dist/ (first start)');
const started = Date.now();
// vite's own bin, never `npx vite`: without devDependencies npx would fetch vite from the registry.
let vite;
try {
  vite = join(
    dirname(createRequire(join(root, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
} catch {
  console.error('console: vite is not installed (npm ci installs it); cannot build dist/');
  process.exit(soft ? 0 : 1);
}
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status === 0) {
  console.log(`console: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
}
console.error('console: the build failed' + (soft ? '; the server starts without the console' : ''));
process.exit(soft ? 0 : 1);
