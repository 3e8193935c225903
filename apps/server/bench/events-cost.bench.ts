/**
 * `npm run bench:events-cost`: what one order event costs the server, measured over a fixed number of
 * deliveries rather than a fixed time, so that runs on a loaded machine can be compared (throughput is
 * printed too, but only the costs mean much when other work shares the cores).
 *
 * One PeakDesk server process (intake-cost.server.ts: built as a `peakdesk start` worker builds one, with
 * CPU, statement, GC and allocation counters and an optional CPU profile) on a fresh database
 * `peakdesk_bench_events_cost`, a demo-shop connection, 2,000 orders with open tickets and held snapshots.
 * This process posts the bench:events corpus (events-corpus.ts: 95% events on orders without tickets, 5% on
 * ticketed orders, 5% repeats, 10% out of order) from `--connections` keep-alive connections: `--warmup`
 * deliveries first, then `--events` measured ones. Printed per acknowledged (200) delivery: Node CPU µs, GC µs,
 * KB allocated, PostgreSQL backend CPU µs (from /proc: PostgreSQL must run on this machine), statements by
 * kind per batch. Re-fetch jobs are enqueued, not run (the graphile worker is not started here).
 *
 * Options: --events N (20000), --warmup N (5000), --connections C (64), --profile, --heap, --keep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import { createDb, createPool, migrateToLatest } from '../src/db/database.ts';
import { resolveDatabaseServer } from '../src/db/open.ts';
import { installJobQueue } from '../src/jobs/runner.ts';
import { uuidv7 } from '../src/lib/ids.ts';
import { parseSecretKey, SecretBox } from '../src/lib/secret-box.ts';
import {
  insertConnection,
  sealCredentials,
  sealWebhookSecret,
} from '../src/modules/shops/shop-connection.repository.ts';
import { createTenant } from '../src/modules/tenants/tenant.service.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { eventCorpus, SNAPSHOT_VERSION, TICKET_ORDERS, type SignedEvent } from './events-corpus.ts';
import { ask, cpuMsOf } from './process.ts';
import { benchDatabaseUrl, dropDatabase, recreateDatabase } from './load.ts';

const DATABASE = 'peakdesk_bench_events_cost';
const serverDir = join(new URL('.', import.meta.url).pathname, '..');
const log = (message: string) => console.error(`[bench:events-cost] ${message}`);

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

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '64' },
    profile: { type: 'boolean', default: false },
    heap: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const opts = {
  events: Number(values.events),
  warmup: Number(values.warmup),
  connections: Number(values.connections),
  profile: values.profile,
  heap: values.heap,
  keep: values.keep,
};

/** Posts `events` in order from `connections` keep-alive connections; counts statuses and outcomes. */
async function drive(port: number, path: string, events: readonly SignedEvent[], connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const statuses: Record<string, number> = {};
  const outcomes = { duplicates: 0, stale: 0, applied: 0 };
  let next = 0;
  const post = (event: SignedEvent) =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          headers: {
            'content-type': 'application/json',
            'x-demoshop-timestamp': String(event.timestamp),
            'x-demoshop-signature': event.signature,
            'content-length': Buffer.byteLength(event.body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 200) {
              const ack = JSON.parse(text) as typeof outcomes;
              outcomes.duplicates += ack.duplicates;
              outcomes.stale += ack.stale;
              outcomes.applied += ack.applied;
            }
            resolve();
          });
        },
      );
      request.on('error', reject);
      request.end(event.body);
    });
  const started = performance.now();
  const worker = async () => {
    while (next < events.length) await post(events[next++]!);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { statuses, outcomes, ms: performance.now() - started };
}

const config = loadConfig();
const server = await resolveDatabaseServer(config, log);
if (!/@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(server.url))
  throw new Error('bench:events-cost runs on loopback only');
await recreateDatabase(server.url, DATABASE);
const url = benchDatabaseUrl(server.url, DATABASE);
const db = createDb(createPool(url, 2));
let child: ChildProcess | undefined;
let output: Record<string, unknown> = {};
try {
  await migrateToLatest(db);
  await installJobQueue(url);
  const { tenantId } = await createTenant(db, {
    slug: 'bench-events-cost',
    name: '大促事件成本店',
    adminEmail: 'admin@bench-events-cost.example',
    adminPassword: 'bench-events-password',
  });
  const secretKey = randomBytes(32).toString('base64');
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const box = new SecretBox(parseSecretKey(secretKey));
  const connectionId = uuidv7();
  await insertConnection(
    db,
    {
      tenantId,
      id: connectionId,
      kind: 'demo-shop',
      name: 'bench shop',
      // Nothing listens there: re-fetch jobs are only enqueued in this bench.
      baseUrl: 'http://127.0.0.1:9',
      credentials: sealCredentials(box, tenantId, connectionId, { apiKey: 'bench' }),
      webhookSecret: sealWebhookSecret(box, tenantId, connectionId, webhookSecret),
      settings: {},
    },
    new Date(),
  );
  await sql`
    INSERT INTO order_snapshots (tenant_id, connection_id, order_id, order_number, status, version,
      order_updated_at, snapshot, fetched_at)
    SELECT ${tenantId}, ${connectionId}, 'O-BENCH-T' || k, 'BENCH-T' || k, 'paid', ${SNAPSHOT_VERSION}, now(),
      '{}'::jsonb, now() FROM generate_series(0, ${TICKET_ORDERS - 1}) AS k`.execute(db);
  const { token } = await new TokenService(db).create(null, { tenantId, name: 'bench', role: 'integration' });

  const port = 30_000 + (process.pid % 20_000);
  child = spawn(process.execPath, ['bin/run-ts.js', 'bench/intake-cost.server.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: url,
      LOG_LEVEL: 'warn',
      PEAKDESK_SECRET_KEY: secretKey,
      PEAKDESK_INTAKE_RATE_LIMIT: '0',
      PORT: String(port),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child!.once('message', () => resolve());
    child!.once('exit', (code) => reject(new Error(`cost server exited (${code})`)));
  });
  for (let start = 0; start < TICKET_ORDERS; start += 500) {
    const items = Array.from({ length: 500 }, (_, i) => ({
      body: `我的订单 BENCH-T${start + i} 什么时候发货？物流一直没有更新`,
      channel: 'web',
      orderNumber: `BENCH-T${start + i}`,
      customer: { email: `buyer${start + i}@bench-events-cost.example` },
    }));
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/tickets/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (!response.ok) throw new Error(`ticket batch failed: ${response.status} ${await response.text()}`);
  }
  await ask(child, 'follow-up');
  // Statistics as a running database has them (autovacuum would analyze later): plans as in production.
  await sql`ANALYZE`.execute(db);

  const path = `/api/v1/webhooks/shops/${connectionId}`;
  const warm = eventCorpus(webhookSecret, opts.warmup, 'evt_warm_').lines;
  const { lines, stats: corpus } = eventCorpus(webhookSecret, opts.events, 'evt_cost_');
  log(`warm-up: ${opts.warmup} deliveries`);
  await drive(port, path, warm, opts.connections);
  const backends = async () =>
    (
      await sql<{ pid: number }>`
        SELECT pid FROM pg_stat_activity WHERE datname = ${DATABASE} AND application_name = 'peakdesk'`.execute(
        db,
      )
    ).rows.map((r) => r.pid);
  const loadBefore = loadavg();
  log(`measured: ${opts.events} deliveries from ${opts.connections} connections`);
  const pgBefore = new Map((await backends()).map((pid) => [pid, cpuMsOf(pid)]));
  await ask(child, 'reset', { profile: opts.profile, heap: opts.heap });
  const run = await drive(port, path, lines, opts.connections);
  const stats = await ask<ServerStats>(child, 'stats');
  let pgCpuMs = 0;
  for (const pid of await backends()) pgCpuMs += cpuMsOf(pid) - (pgBefore.get(pid) ?? 0);
  const loadAfter = loadavg();

  const ok = run.statuses['200'] ?? 0;
  const per = (value: number, digits = 1) => Math.round((value / ok) * 10 ** digits) / 10 ** digits;
  const transactions = stats.statements.begin ?? 0;
  const statementCount = Object.values(stats.statements).reduce((a, b) => a + b, 0);
  output = {
    benchmark: 'events-cost',
    date: new Date().toISOString(),
    options: opts,
    loadAverage1m: { before: loadBefore[0], after: loadAfter[0] },
    statuses: run.statuses,
    outcomes: run.outcomes,
    corpus,
    eventsPerSecond: Math.round(ok / (run.ms / 1000)),
    perEvent: {
      nodeCpuUs: per((stats.cpuUserMs + stats.cpuSystemMs) * 1000),
      nodeUserUs: per(stats.cpuUserMs * 1000),
      nodeSystemUs: per(stats.cpuSystemMs * 1000),
      postgresCpuUs: per(pgCpuMs * 1000),
      gcUs: per(stats.gcMs * 1000),
      allocatedKb: per(stats.allocatedBytes / 1024, 2),
      statements: per(statementCount, 3),
    },
    transactions,
    eventsPerTransaction: transactions ? Math.round((ok / transactions) * 10) / 10 : null,
    statementsPerTransaction: transactions ? Math.round((statementCount / transactions) * 10) / 10 : null,
    statements: stats.statements,
    statementSamples: stats.samples,
    rssMbAtEnd: stats.rssMb,
    profile: stats.profile,
    allocations: stats.allocations,
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
