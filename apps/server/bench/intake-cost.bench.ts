/**
 * `npm run bench:intake-cost`: what one intake ticket costs, measured over a fixed number of tickets rather than
 * a fixed time, so that it means the same on a quiet machine and on one shared with other work (throughput is
 * printed too, but only the costs are comparable between runs on a loaded machine).
 *
 * One PeakDesk server process (intake-cost.server.ts) on a fresh database `peakdesk_bench_intake_cost`;
 * this process sends the bench:intake corpus (10% retries with the same key) from `--connections`
 * concurrent keep-alive connections: `--warmup` tickets first (JIT, caches, pool), then `--tickets` measured.
 * The follow-up jobs (outbox sweep: enrichment, assignment) are run after the measured tickets and costed
 * apart (`followUp`), still per measured ticket. Printed as JSON per measured ticket (created or replayed,
 * i.e. per 201):
 * - Node: CPU ms of the server process (user + system), GC ms, bytes allocated;
 * - PostgreSQL: CPU ms of the server's backends (from /proc, so PostgreSQL must run on this machine);
 * - statements: per batch (transactions = BEGINs) and per ticket, by kind;
 * - with `--profile`, the server's top functions by self time over the measured window;
 * - with `--heap`, where the server allocated (sampled), by function and caller.
 *
 * Options: --tickets N (6000), --warmup N (2000), --connections C (64), --profile, --heap, --keep.
 * `BENCH_EXTRA_SQL` (environment) runs on the bench database after its migrations, before the server starts:
 * for experiments such as dropping or re-creating an index.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createDb, createPool, migrateToLatest } from '../src/db/database.ts';
import { resolveDatabaseServer } from '../src/db/open.ts';
import { createTenant } from '../src/modules/tenants/tenant.service.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { corpusLines } from './intake-corpus.ts';
import { ask, cpuMsOf } from './process.ts';
import { benchDatabaseUrl, dropDatabase, recreateDatabase } from './load.ts';

const DATABASE = 'peakdesk_bench_intake_cost';

interface ServerStats {
  wallMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  statements: Record<string, number>;
  samples: Record<string, string>;
  gcMs: number;
  gcCount: number;
  allocatedBytes: number;
  rssMb: number;
  profile?: unknown;
  allocations?: unknown;
}
const serverDir = join(new URL('.', import.meta.url).pathname, '..');
const log = (message: string) => console.error(`[bench:intake-cost] ${message}`);

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '6000' },
    warmup: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '64' },
    profile: { type: 'boolean', default: false },
    heap: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const opts = {
  tickets: Number(values.tickets),
  warmup: Number(values.warmup),
  connections: Number(values.connections),
  profile: values.profile,
  heap: values.heap,
  keep: values.keep,
};

/** Sends `count` tickets from `connections` keep-alive connections; 10% re-send an earlier key and body. */
async function drive(
  port: number,
  token: string,
  bodies: string[],
  label: string,
  count: number,
  connections: number,
): Promise<{ statuses: Record<string, number>; ms: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const sent: { key: string; body: string }[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const post = (key: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v1/tickets',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const started = performance.now();
  const worker = async () => {
    while (issued < count) {
      const n = issued++;
      let key: string;
      let body: string;
      if (sent.length > 100 && random() < 0.1) ({ key, body } = sent[Math.floor(random() * sent.length)]!);
      else {
        key = `${label}-${n}`;
        body = bodies[(n * 7) % bodies.length]!.replace('__KEY__', key);
        if (sent.length < 5000) sent.push({ key, body });
      }
      const status = await post(key, body);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { statuses, ms: performance.now() - started };
}

const config = loadConfig();
const server = await resolveDatabaseServer(config, log);
if (!/@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(server.url))
  throw new Error('bench:intake-cost runs on loopback only');
await recreateDatabase(server.url, DATABASE);
const url = benchDatabaseUrl(server.url, DATABASE);
const db = createDb(createPool(url, 2));
let child: ChildProcess | undefined;
let output: Record<string, unknown>;
try {
  await migrateToLatest(db);
  const tenant = await createTenant(db, {
    slug: 'bench-intake-cost',
    name: '大促压测店',
    adminEmail: 'admin@bench-intake-cost.example',
    adminPassword: 'bench-intake-password',
  });
  const { token } = await new TokenService(db).create(null, {
    tenantId: tenant.tenantId,
    name: 'bench intake cost',
    role: 'integration',
  });
  if (process.env.BENCH_EXTRA_SQL) await sql.raw(process.env.BENCH_EXTRA_SQL).execute(db);
  const bodies = corpusLines(20_000);
  const port = 30_000 + (process.pid % 20_000);
  child = spawn(process.execPath, ['bin/run-ts.js', 'bench/intake-cost.server.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
      PEAKDESK_INTAKE_RATE_LIMIT: '0',
      PORT: String(port),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child!.once('message', () => resolve());
    child!.once('exit', (code) => reject(new Error(`cost server exited (${code})`)));
  });

  log(`warm-up: ${opts.warmup} tickets`);
  await drive(port, token, bodies, 'warm', opts.warmup, opts.connections);
  const backends = async () =>
    (
      await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity WHERE datname = ${DATABASE} AND application_name = 'peakdesk'`.execute(
        db,
      )
    ).rows.map((r) => r.pid);
  await ask(child, 'follow-up');

  /**
   * Merges the search index's GIN pending list into the index, on one pinned connection, and returns that
   * backend's CPU ms: inserts append there and a later insert or autovacuum pays for the merge, so it is
   * emptied before the measured window and its merge after the window is costed with the tickets.
   */
  const mergeSearchPending = () =>
    db.connection().execute(async (conn) => {
      const { pid } = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(conn)).rows[0]!;
      const before = cpuMsOf(pid);
      const { rows } = await sql<{ pages: string }>`
        SELECT gin_clean_pending_list(c.oid)::text AS pages FROM pg_class c
        WHERE c.relname = 'tickets_search_idx'`.execute(conn);
      return { pendingPages: Number(rows[0]?.pages ?? 0), cpuMs: cpuMsOf(pid) - before };
    });
  await mergeSearchPending();
  const loadBefore = loadavg();

  /** Runs `work` in a measurement window: the server's own figures plus its backends' CPU. */
  const measure = async (work: () => Promise<void>, profile: boolean, heap = false) => {
    const before = new Map((await backends()).map((pid) => [pid, cpuMsOf(pid)]));
    await ask(child!, 'reset', { profile, heap });
    await work();
    const stats = await ask<ServerStats>(child!, 'stats');
    let pgCpuMs = 0;
    for (const pid of await backends()) pgCpuMs += cpuMsOf(pid) - (before.get(pid) ?? 0);
    return { ...stats, pgCpuMs };
  };

  log(`measured: ${opts.tickets} tickets from ${opts.connections} connections`);
  let run = { statuses: {} as Record<string, number>, ms: 0 };
  const intake = await measure(
    async () => {
      run = await drive(port, token, bodies, 'cost', opts.tickets, opts.connections);
    },
    opts.profile,
    opts.heap,
  );
  log('follow-up jobs of the measured tickets');
  let jobs = 0;
  const followUp = await measure(async () => {
    ({ jobs } = await ask<{ jobs: number }>(child!, 'follow-up'));
  }, false);
  const searchMerge = await mergeSearchPending();
  const loadAfter = loadavg();

  const answered = run.statuses['201'] ?? 0;
  const costs = (stats: ServerStats & { pgCpuMs: number }) => {
    const per = (value: number, digits = 3) => Math.round((value / answered) * 10 ** digits) / 10 ** digits;
    const transactions = stats.statements.begin ?? 0;
    const statementCount = Object.values(stats.statements).reduce((a, b) => a + b, 0);
    return {
      perTicket: {
        nodeCpuMs: per(stats.cpuUserMs + stats.cpuSystemMs),
        nodeUserMs: per(stats.cpuUserMs),
        nodeSystemMs: per(stats.cpuSystemMs),
        postgresCpuMs: per(stats.pgCpuMs),
        gcMs: per(stats.gcMs),
        allocatedKb: per(stats.allocatedBytes / 1024, 1),
        statements: per(statementCount),
      },
      transactions,
      ticketsPerTransaction: transactions ? Math.round((answered / transactions) * 10) / 10 : null,
      statementsPerTransaction: transactions ? Math.round((statementCount / transactions) * 10) / 10 : null,
      statements: stats.statements,
      statementSamples: stats.samples,
      gcCount: stats.gcCount,
      rssMbAtEnd: stats.rssMb,
    };
  };
  output = {
    benchmark: 'intake-cost',
    date: new Date().toISOString(),
    options: opts,
    loadAverage1m: { before: loadBefore[0], after: loadAfter[0] },
    statuses: run.statuses,
    ticketsPerSecond: Math.round(answered / (run.ms / 1000)),
    intake: costs(intake),
    followUp: { jobs, ...costs(followUp) },
    searchPendingMerge: {
      pendingPages: searchMerge.pendingPages,
      postgresCpuMsPerTicket: Math.round((searchMerge.cpuMs / answered) * 1000) / 1000,
    },
    profile: intake.profile,
    allocations: intake.allocations,
  };
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.send({ op: 'stop' });
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
} finally {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await db.destroy();
  if (!opts.keep) await dropDatabase(server.url, DATABASE);
  await server.stop();
}
console.log(JSON.stringify(output, null, 2));
