/**
 * `npm run bench:intake`: a surge of realistic tickets against a real PeakDesk (`peakdesk start --workers N`
 * on a fresh database `peakdesk_bench_intake`), driven by wrk with intake.wrk.lua at 64 and 256
 * connections: Chinese and English bodies of varied length, new and returning customers, every request with
 * its own Idempotency-Key and 10% of them re-sent with the same key. Then the same surge against the bare
 * ceiling (intake-ceiling.server.ts). Correctness comes from the recorded responses and the database:
 * duplicates (a key with more than one ticket, or acknowledged with two ids) and missing (acknowledged ids
 * not in the database). Prints one JSON document on stdout; progress on stderr.
 *
 * Options: --seconds S (10), --connections 64,256, --workers N (2), --keep (leave the database).
 * Runs against DATABASE_URL (loopback only) or the embedded PostgreSQL, like `peakdesk start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createDb, createPool, migrateToLatest } from '../src/db/database.ts';
import { resolveDatabaseServer } from '../src/db/open.ts';
import { createTenant } from '../src/modules/tenants/tenant.service.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { writeCorpus } from './intake-corpus.ts';
import { benchDatabaseUrl, dropDatabase, recreateDatabase } from './load.ts';
import { ensureWrk, freePort } from './wrk.ts';

const DATABASE = 'peakdesk_bench_intake';
const TARGETS = { ticketsPerSecond: 8000, p99Ms: 50, ceilingRatio: 0.5, rssMb: 300 };
const here = new URL('.', import.meta.url).pathname;
const serverDir = join(here, '..');
const log = (message: string) => console.error(`[bench:intake] ${message}`);

function options() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64,256' },
      workers: { type: 'string', default: '2' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  return {
    seconds: Number(values.seconds),
    connections: values.connections.split(',').map(Number),
    workers: Number(values.workers),
    keep: values.keep,
  };
}

/** wrk from Debian's packages: found on PATH, or installed with apt-get (as root), said either way. */

interface WrkResult {
  requests: number;
  durationUs: number;
  socketErrors: number;
  timeouts: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  statuses: Record<string, number>;
}

function runWrk(
  wrk: string,
  args: {
    url: string;
    connections: number;
    seconds: number;
    corpus: string;
    token: string;
    out: string;
    label: string;
  },
): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      wrk,
      [
        '-t1',
        `-c${args.connections}`,
        `-d${args.seconds}s`,
        '--timeout',
        '10s',
        '-s',
        join(here, 'intake.wrk.lua'),
        args.url,
        '--',
        args.corpus,
        args.token,
        args.out,
        args.label,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${stdout}`));
      resolve(JSON.parse(line.slice(9)) as WrkResult);
    });
  });
}

/** Peak resident memory per process of a server (its primary and cluster workers), sampled every 200 ms. */
function sampleRss(rootPid: number): { stop: () => Record<string, number> } {
  const peak = new Map<number, number>();
  const pids = (): number[] => {
    const all = [rootPid];
    for (const pid of all) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
        if (children) all.push(...children.split(/\s+/).map(Number));
      } catch {
        /* gone */
      }
    }
    return all;
  };
  const timer = setInterval(() => {
    for (const pid of pids()) {
      try {
        const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) peak.set(pid, Math.max(peak.get(pid) ?? 0, Number(match[1]) / 1024));
      } catch {
        /* gone */
      }
    }
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      return Object.fromEntries([...peak].map(([pid, mb]) => [String(pid), Math.round(mb)]));
    },
  };
}

async function startServer(command: string[], env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, {
    cwd: serverDir,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/tickets`, { method: 'OPTIONS' });
      if (response.status) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${command.join(' ')}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function readAcks(dir: string, label: string): { acked: Map<string, Set<string>>; replayed: number } {
  const acked = new Map<string, Set<string>>();
  let replayed = 0;
  for (const file of readdirSync(dir).filter((f) => f.startsWith(`acks-${label}-`))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      const [key, id, replay] = line.split(' ');
      if (!key || !id) continue;
      if (replay === 'true') replayed += 1;
      const ids = acked.get(key) ?? new Set<string>();
      ids.add(id);
      acked.set(key, ids);
    }
  }
  return { acked, replayed };
}

const opts = options();
const wrk = ensureWrk(log);
const config = loadConfig();
const server = await resolveDatabaseServer(config, log);
if (!/@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(server.url))
  throw new Error('bench:intake runs on loopback only');
await recreateDatabase(server.url, DATABASE);
const url = benchDatabaseUrl(server.url, DATABASE);
const db = createDb(createPool(url, 4));
const work = mkdtempSync(join(tmpdir(), 'peakdesk-intake-bench-'));
const results: Record<string, unknown>[] = [];
let running: ChildProcess | undefined;
try {
  await migrateToLatest(db);
  const tenant = await createTenant(db, {
    slug: 'bench-intake',
    name: '大促压测店',
    adminEmail: 'admin@bench-intake.example',
    adminPassword: 'bench-intake-password',
  });
  const { token } = await new TokenService(db).create(null, {
    tenantId: tenant.tenantId,
    name: 'bench intake',
    role: 'integration',
  });
  const corpus = join(work, 'corpus.txt');
  writeCorpus(corpus, 20_000);
  const env = {
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    PEAKDESK_INTAKE_RATE_LIMIT: '0',
    // The demo shop beside `peakdesk start` would share the cores with the surge.
    PEAKDESK_DEMO_SHOP: 'off',
    WORKERS: String(opts.workers),
  };

  for (const target of ['peakdesk', 'ceiling'] as const) {
    const port = await freePort();
    const command =
      target === 'peakdesk'
        ? ['bin/peakdesk.js', 'start', '--workers', String(opts.workers)]
        : ['bin/run-ts.js', 'bench/intake-ceiling.server.ts'];
    log(`starting ${target} with ${opts.workers} worker(s) on port ${port}`);
    const child = await startServer(command, env, port);
    running = child;
    const endpoint = `http://127.0.0.1:${port}/api/v1/tickets`;
    await runWrk(wrk, {
      url: endpoint,
      connections: 64,
      seconds: 3,
      corpus,
      token,
      out: join(work, 'acks'),
      label: `${target}-warm`,
    });
    for (const connections of opts.connections) {
      const label = `${target}-c${connections}`;
      log(`${label}: ${opts.seconds} s`);
      const rss = sampleRss(child.pid!);
      const run = await runWrk(wrk, {
        url: endpoint,
        connections,
        seconds: opts.seconds,
        corpus,
        token,
        out: join(work, 'acks'),
        label,
      });
      const rssMb = rss.stop();
      const created = run.statuses['201'] ?? 0;
      const entry: Record<string, unknown> = {
        target,
        connections,
        workers: opts.workers,
        ticketsPerSecond: Math.round(created / (run.durationUs / 1e6)),
        requestsPerSecond: Math.round(run.requests / (run.durationUs / 1e6)),
        p50Ms: run.p50Us / 1000,
        p90Ms: run.p90Us / 1000,
        p99Ms: run.p99Us / 1000,
        maxMs: run.maxUs / 1000,
        statuses: run.statuses,
        socketErrors: run.socketErrors,
        timeouts: run.timeouts,
        rssMbPerProcess: rssMb,
      };
      if (target === 'peakdesk') {
        // Let any job of the last batch settle, then check the acknowledgements against the database.
        await new Promise((r) => setTimeout(r, 500));
        const { acked, replayed } = readAcks(work, label);
        const ids = [...acked.values()].flatMap((set) => [...set]);
        const ackedTwice = [...acked.values()].filter((set) => set.size > 1).length;
        const missing = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM unnest(${ids}::uuid[]) AS a (id)
          WHERE NOT EXISTS (SELECT 1 FROM tickets t WHERE t.tenant_id = ${tenant.tenantId} AND t.id = a.id)`.execute(
          db,
        );
        const duplicates = await sql<{ n: number }>`
          SELECT count(*)::int AS n FROM (
            SELECT fields->>'benchKey' FROM tickets
            WHERE tenant_id = ${tenant.tenantId} AND fields->>'benchKey' LIKE ${`${label}-%`}
            GROUP BY 1 HAVING count(*) > 1) d`.execute(db);
        Object.assign(entry, {
          acknowledgedKeys: acked.size,
          replayedAcks: replayed,
          duplicates: duplicates.rows[0]!.n + ackedTwice,
          missing: missing.rows[0]!.n,
        });
      }
      results.push(entry);
      log(JSON.stringify(entry));
    }
    await stopServer(child);
  }
} finally {
  if (running && running.exitCode === null) running.kill('SIGKILL');
  await db.destroy();
  rmSync(work, { recursive: true, force: true });
  if (!opts.keep) await dropDatabase(server.url, DATABASE);
  await server.stop();
}

const at = (target: string, connections: number) =>
  results.find((r) => r.target === target && r.connections === connections) as
    { ticketsPerSecond: number; p99Ms: number; rssMbPerProcess: Record<string, number> } | undefined;
const summary = opts.connections.map((connections) => {
  const peak = at('peakdesk', connections);
  const ceiling = at('ceiling', connections);
  const ratio =
    peak && ceiling ? Math.round((peak.ticketsPerSecond / ceiling.ticketsPerSecond) * 100) / 100 : null;
  return {
    connections,
    peakdeskTicketsPerSecond: peak?.ticketsPerSecond,
    ceilingTicketsPerSecond: ceiling?.ticketsPerSecond,
    ratioToCeiling: ratio,
    p99Ms: peak?.p99Ms,
    maxRssMb: peak ? Math.max(...Object.values(peak.rssMbPerProcess)) : null,
  };
});
const at256 = summary.find((s) => s.connections === 256);
console.log(
  JSON.stringify(
    {
      benchmark: 'intake',
      date: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length },
      targets: TARGETS,
      met: at256
        ? {
            ticketsPerSecond: (at256.peakdeskTicketsPerSecond ?? 0) >= TARGETS.ticketsPerSecond,
            p99: (at256.p99Ms ?? Infinity) <= TARGETS.p99Ms,
            ceilingRatio: (at256.ratioToCeiling ?? 0) >= TARGETS.ceilingRatio,
            rss: (at256.maxRssMb ?? Infinity) <= TARGETS.rssMb,
          }
        : null,
      summary,
      runs: results,
    },
    null,
    2,
  ),
);
