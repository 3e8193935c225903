#!/usr/bin/env node
// The `peakdesk` command. It runs the server as plain JavaScript bundled into dist/ (bin/build.js): a loader
// such as tsx costs every process a hook thread with its own V8 isolate and the sources in the heap
// (~35 MB each, docs/benchmarks.md). The bundle is rebuilt first whenever src/ is newer (~0.5 s), so an edit
// never runs stale code; only if it cannot be built does this fall back to running src/ through tsx.
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { currentEntry, isBuildStale } from './build.js';

/** The entry the primary runs, so that the workers it forks run the same build (or tsx, as it did). */
const ENTRY_VARIABLE = 'PEAKDESK_ENTRY';

function chooseEntry() {
  const inherited = process.env[ENTRY_VARIABLE];
  // A worker runs what its primary checked, even if src/ changed since (old builds stay a while: build.js).
  if (cluster.isWorker && inherited && existsSync(inherited)) return inherited;
  if (!isBuildStale()) return /** @type {string} */ (currentEntry());
  // In a child process, so that esbuild's memory is never part of a server's.
  const built = spawnSync(process.execPath, [fileURLToPath(new URL('build.js', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const entry = built.status === 0 ? built.stdout.trim() : '';
  if (entry && existsSync(entry)) return entry;
  console.error('[peakdesk] could not build dist/ (see above); running src/ through tsx');
  return fileURLToPath(new URL('../src/main.ts', import.meta.url));
}

const entry = chooseEntry();
process.env[ENTRY_VARIABLE] = entry;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
} else {
  // Stack traces point into src/ through the bundle's source map.
  process.setSourceMapsEnabled(true);
}
await import(pathToFileURL(entry).href);
