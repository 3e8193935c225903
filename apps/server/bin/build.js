#!/usr/bin/env node
// The server's build: src/main.ts bundled by esbuild into dist/<build id>/, so that `peakdesk` runs plain
// JavaScript without tsx's loader thread and its in-heap sources (about 35 MB a process, docs/benchmarks.md).
// `node bin/build.js` builds (and prints the new entry file); bin/peakdesk.js runs it when isBuildStale().
//
// Each build gets a directory of its own and dist/current.json names the newest, written last and atomically:
// a process still running an older build can lazily import its chunks (and a cluster can fork workers from
// it), and two commands that find the build stale at once each build their own copy without clobbering.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SERVER_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(SERVER_ROOT, 'src');
const THIS_FILE = fileURLToPath(import.meta.url);
/**
 * PEAKDESK_DIST_DIR moves the builds (tests build into a directory of their own); it must lie inside
 * apps/server, because the bundle finds the files beside the code by walking up to apps/server/package.json.
 */
export const DIST = resolve(process.env.PEAKDESK_DIST_DIR || join(SERVER_ROOT, 'dist'));
const CURRENT = join(DIST, 'current.json');
/** An older build is removed only this long after a newer one started (see above). */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;
/** The only source file that may read import.meta.url: it finds apps/server from src/ and from dist/ alike. */
const PATHS_MODULE = join(SRC, 'lib', 'server-root.ts');

/** @returns {{ dir: string, builtAt: number, inputs: string[] } | undefined} */
export function currentBuild() {
  try {
    return JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return undefined;
  }
}

/** @param {string} dir @param {(path: string) => boolean} isNewer */
function anyNewerUnder(dir, isNewer) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() ? anyNewerUnder(path, isNewer) : isNewer(path)) return true;
  }
  return false;
}

/**
 * True when there is no build, or when this file, anything under src/ or any other bundled source (the
 * workspace packages) changed or vanished since the build started. Costs a stat per source file (~2 ms).
 */
export function isBuildStale(build = currentBuild()) {
  if (!build) return true;
  const isNewer = (/** @type {string} */ path) => {
    try {
      return statSync(path).mtimeMs > build.builtAt;
    } catch {
      return true;
    }
  };
  return (
    !existsSync(join(DIST, build.dir, 'main.js')) ||
    isNewer(THIS_FILE) ||
    anyNewerUnder(SRC, isNewer) ||
    build.inputs.some((input) => isNewer(resolve(SERVER_ROOT, input)))
  );
}

/** The entry file of the current build. */
export function currentEntry(build = currentBuild()) {
  return build ? join(DIST, build.dir, 'main.js') : undefined;
}

/**
 * Bundles src/main.ts (ESM, node20; npm packages stay external, the workspace packages, which export
 * TypeScript, are bundled). Dynamic imports become chunks, so the cluster primary loads only what it uses.
 * @returns {Promise<string>} the new entry file
 */
export async function buildServer() {
  const builtAt = Date.now();
  const { build, stop } = await import('esbuild');
  const dir = `${builtAt.toString(36)}-${process.pid}`;
  const outdir = join(DIST, dir);
  const result = await build({
    absWorkingDir: SERVER_ROOT,
    entryPoints: { main: join(SRC, 'main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    // Stack traces and Fastify/pino output name the real functions and classes.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [bundleWorkspacePackages],
  }).finally(() => stop());
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules'));
  const absolute = inputs.map((input) => resolve(SERVER_ROOT, input));
  try {
    refuseModuleRelativePaths(absolute);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const build$ = { dir, builtAt, inputs: absolute.map((path) => relative(SERVER_ROOT, path)) };
  const temporary = `${CURRENT}.${process.pid}`;
  writeFileSync(temporary, JSON.stringify(build$));
  renameSync(temporary, CURRENT);
  removeOldBuilds(dir);
  return join(outdir, 'main.js');
}

/** @type {import('esbuild').Plugin} */
const bundleWorkspacePackages = {
  name: 'bundle-workspace-packages',
  setup(build) {
    // `packages: 'external'` would leave @peakdesk/commerce to Node, which cannot run its .ts exports.
    build.onResolve({ filter: /^@peakdesk\// }, (args) => ({
      path: createRequire(join(args.resolveDir, 'index.js')).resolve(args.path),
    }));
  },
};

/**
 * A file found relative to its own module would be looked for under dist/ once bundled; such paths must be
 * built from serverRoot() (src/lib/server-root.ts). Fails the build rather than the first request.
 * @param {string[]} files
 */
function refuseModuleRelativePaths(files) {
  const offenders = files.filter(
    (file) =>
      file !== PATHS_MODULE && /import\.meta\.(url|dirname|filename)\b/.test(readFileSync(file, 'utf8')),
  );
  if (offenders.length) {
    throw new Error(
      `these files use import.meta.url, which points into dist/ once bundled; use serverRoot() from ` +
        `src/lib/server-root.ts:\n  ${offenders.map((file) => relative(SERVER_ROOT, file)).join('\n  ')}`,
    );
  }
}

/** @param {string} keep */
function removeOldBuilds(keep) {
  // Directory names start with the build's start time (base 36): a build was superseded when the next began.
  const builds = readdirSync(DIST, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[0-9a-z]+-\d+$/.test(entry.name))
    .map((entry) => ({ name: entry.name, startedAt: parseInt(entry.name.split('-')[0] ?? '', 36) }))
    .sort((a, b) => a.startedAt - b.startedAt);
  builds.forEach((build, index) => {
    const next = builds[index + 1];
    if (build.name === keep || !next || Date.now() - next.startedAt < KEEP_OLD_BUILDS_MS) return;
    rmSync(join(DIST, build.name), { recursive: true, force: true });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE) {
  const started = performance.now();
  const entry = await buildServer().catch((/** @type {unknown} */ error) => {
    // esbuild has printed its diagnostics already; one line says what failed.
    console.error(`[peakdesk] build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  console.error(
    `[peakdesk] built ${relative(SERVER_ROOT, entry)} in ${Math.round(performance.now() - started)} ms`,
  );
  // bin/peakdesk.js runs the build this way and reads the entry from here.
  console.log(entry);
}
