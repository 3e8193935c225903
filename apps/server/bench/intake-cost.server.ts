/**
 * The server side of `npm run bench:intake-cost`: one PeakDesk server process built as `peakdesk start` builds
 * a worker (buildApp), instrumented for cost per ticket. The follow-up sweep does not run on its timer: the
 * runner asks for it (`follow-up`), so that its work is measured apart from the intake path. The runner talks to it over IPC:
 * `reset` starts a measurement window, `stats` ends it and answers with what the process spent in it:
 * CPU (process.cpuUsage), statements sent to PostgreSQL (counted in pg's Client.query, by the first words of
 * the SQL), garbage collection (PerformanceObserver), bytes allocated (v8.GCProfiler: freed by GCs + heap
 * growth) and, when asked, a CPU profile of the window (inspector), summarised by self time.
 */
import { Session } from 'node:inspector/promises';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { startStatsGuard } from '../src/db/stats-guard.ts';
import { loadConfig } from '../src/config.ts';
import { createDb, createPool } from '../src/db/database.ts';
import { runDueJobs } from '../src/modules/intake/follow-up.sweep.ts';

interface Window {
  cpu: NodeJS.CpuUsage;
  startedAt: number;
  statements: Map<string, number>;
  /** The start of one statement of each kind, to tell what a kind is. */
  samples: Map<string, string>;
  gcMs: number;
  gcCount: number;
  heapUsedAtStart: number;
  gcProfiler: v8.GCProfiler;
  profiling: boolean;
  heapSampling: boolean;
}

let window: Window | undefined;

/** "INSERT INTO tickets", "SELECT … FROM idempotency_keys", "begin": what a statement is, for the breakdown. */
function kindOf(text: string): string {
  const head = text.trimStart().slice(0, 400).replace(/\s+/g, ' ');
  const word = /^(\w+)/.exec(head)?.[1]?.toLowerCase() ?? '?';
  if (word === 'insert') return `insert ${/^insert into "?(\w+)/i.exec(head)?.[1] ?? '?'}`;
  if (word === 'update') return `update ${/^update "?(\w+)/i.exec(head)?.[1] ?? '?'}`;
  if (word === 'with') {
    const targets = [...text.matchAll(/insert into "?(\w+)/gi)].map((m) => m[1]).join('+');
    return targets ? `with→insert ${targets}` : `with ${/ from "?(\w+)/i.exec(head)?.[1] ?? '?'}`;
  }
  if (word === 'select')
    return `select ${/ from "?(\w+)/i.exec(head)?.[1] ?? /^select (\w+)/i.exec(head)?.[1]}`;
  return word;
}

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its client as `this` below
const originalQuery = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  if (window) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    const kind = kindOf(text);
    window.statements.set(kind, (window.statements.get(kind) ?? 0) + 1);
    if (!window.samples.has(kind)) window.samples.set(kind, text.replace(/\s+/g, ' ').slice(0, 200));
  }
  return originalQuery.apply(this, args);
};

new PerformanceObserver((list) => {
  if (!window) return;
  for (const entry of list.getEntries()) {
    window.gcMs += entry.duration;
    window.gcCount += 1;
  }
}).observe({ entryTypes: ['gc'] });

const session = new Session();
session.connect();

async function reset(profile: boolean, heap: boolean): Promise<void> {
  if (window?.profiling) await session.post('Profiler.stop');
  if (window?.heapSampling) await session.post('HeapProfiler.stopSampling');
  window?.gcProfiler.stop();
  if (profile) {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  if (heap) {
    await session.post('HeapProfiler.enable');
    // Every 32 KB allocated on average: enough samples over thousands of tickets, little overhead.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 32_768,
      // Count garbage too: what is allocated, not what survives.
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  const gcProfiler = new v8.GCProfiler();
  gcProfiler.start();
  window = {
    cpu: process.cpuUsage(),
    startedAt: performance.now(),
    statements: new Map(),
    samples: new Map(),
    gcMs: 0,
    gcCount: 0,
    heapUsedAtStart: process.memoryUsage().heapUsed,
    gcProfiler,
    profiling: profile,
    heapSampling: heap,
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** The profile's top functions by self time (ms), with where they live. */
function topSelfTime(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 30) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  const byFileUs = new Map<string, number>();
  // Inclusive time per function of ours (apps/server/src): what a request's stage costs with what it calls.
  const inclusiveUs = new Map<string, number>();
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id)!;
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    const url = node.callFrame.url.replace(/^.*\/(node_modules|apps\/server)\//, '$1/');
    const name = `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
    selfUs.set(name, (selfUs.get(name) ?? 0) + delta);
    // node_modules/<package> or our own file: where a change would have to be made.
    const file = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url || node.callFrame.functionName);
    byFileUs.set(file, (byFileUs.get(file) ?? 0) + delta);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byNode.get(at)!.callFrame;
      const own = /apps\/server\/(src|bench)\/(.*)$/.exec(frame.url);
      const key = own
        ? `${frame.functionName || '(anonymous)'} ${own[2]}`
        : /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
            frame.url.replace(/^.*\/node_modules\//, 'node_modules/'),
          )?.[1];
      if (!key || seen.has(key)) continue;
      seen.add(key);
      inclusiveUs.set(key, (inclusiveUs.get(key) ?? 0) + delta);
    }
  });
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 }));
  return {
    totalMs: Math.round(total / 1000),
    top: ranked(selfUs),
    byFile: ranked(byFileUs),
    inclusive: [...inclusiveUs]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top * 2)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 })),
  };
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Where the sampled allocations were made (bytes by allocating function, with its caller). */
function topAllocations(head: HeapNode, top = 30) {
  const bytes = new Map<string, number>();
  let total = 0;
  const where = (node: HeapNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*\/(node_modules|apps\/server)\//, '$1/')}:${node.callFrame.lineNumber + 1}`;
  const walk = (node: HeapNode, parent: HeapNode | null) => {
    if (node.selfSize) {
      const name = `${where(node)} < ${parent ? where(parent) : '(root)'}`;
      bytes.set(name, (bytes.get(name) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) walk(child, node);
  };
  walk(head, null);
  return {
    sampledMb: Math.round(total / 1048576),
    top: [...bytes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, b]) => ({ fn, pct: Math.round((b / total) * 1000) / 10 })),
  };
}

async function stats() {
  if (!window) throw new Error('stats before reset');
  const w = window;
  window = undefined;
  const cpu = process.cpuUsage(w.cpu);
  const gc = w.gcProfiler.stop();
  let freed = 0;
  for (const entry of gc?.statistics ?? []) {
    freed += entry.beforeGC.heapStatistics.usedHeapSize - entry.afterGC.heapStatistics.usedHeapSize;
  }
  let profile;
  if (w.profiling) {
    const { profile: raw } = await session.post('Profiler.stop');
    profile = topSelfTime(raw as never);
  }
  let allocations;
  if (w.heapSampling) {
    const { profile: raw } = await session.post('HeapProfiler.stopSampling');
    allocations = topAllocations((raw as { head: HeapNode }).head);
  }
  return {
    wallMs: Math.round(performance.now() - w.startedAt),
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    statements: Object.fromEntries([...w.statements].sort((a, b) => b[1] - a[1])),
    samples: Object.fromEntries(w.samples),
    gcMs: Math.round(w.gcMs),
    gcCount: w.gcCount,
    allocatedBytes: Math.max(0, freed + process.memoryUsage().heapUsed - w.heapUsedAtStart),
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
    profile,
    allocations,
  };
}

const config = loadConfig();
const pool = createPool(config.databaseUrl!, config.dbPoolSize);
const db = createDb(pool);
const app = await buildApp({
  db,
  config,
  logger: { level: config.logLevel },
  databaseUrl: config.databaseUrl,
});

/** Runs the follow-up jobs until none is due (the runner measures them apart from the intake path). */
async function drainOutbox(): Promise<number> {
  let total = 0;
  for (let done = -1; done !== 0; total += done) done = await runDueJobs(db, new Date());
  return total;
}
// As in every server process (serve.ts): fresh tables get statistics before their plans go stale.
startStatsGuard(db, { log: (message, error) => console.error(message, error) });
await app.listen({ host: '127.0.0.1', port: config.port });

process.on('message', (message: { op: string; profile?: boolean; heap?: boolean }) => {
  const answer = async () => {
    if (message.op === 'reset') {
      await reset(message.profile === true, message.heap === true);
      return { ok: true };
    }
    if (message.op === 'stats') return stats();
    if (message.op === 'follow-up') return { jobs: await drainOutbox() };
    if (message.op === 'stop') {
      await app.close();
      await db.destroy();
      process.exit(0);
    }
    throw new Error(`unknown op ${message.op}`);
  };
  answer().then(
    (result) => process.send!({ op: message.op, result }),
    (error: Error) => process.send!({ op: message.op, error: error.message }),
  );
});
process.send!({ op: 'ready' });
