/**
 * `npm run bench:events`: a peak of signed order events against a real PeakDesk (`peakdesk start --workers N`
 * on a fresh database `peakdesk_bench_events`), driven by wrk with events.wrk.lua. The corpus is what the demo
 * shop's outbox sends (its JSON and `X-DemoShop-Signature`), pre-signed: 95% of new events concern orders
 * without tickets, 5% orders with an open ticket (whose snapshots PeakDesk holds at version 10), 5% of
 * deliveries repeat an earlier event, and 10% of events carry an order version older than the order's latest
 * (out of order). Correctness comes from the database: no event id applied twice to a ticket's timeline,
 * nothing older than a held snapshot applied, every first delivery acknowledged stored. The shop is a stub on
 * 127.0.0.1 in this process that answers every order lookup "not found" at once, so the re-fetch jobs of
 * applied events (enqueued in the ingest transaction) run and finish without a real shop's latency. Prints
 * one JSON document on stdout; progress on stderr.
 *
 * Options: --seconds S (15), --connections C (64), --workers N (2), --keep (leave the database).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import pg from 'pg';
import { createDb, migrateToLatest } from '../src/db/database.ts';
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
import { seedDemoTenant } from '../src/seed/demo.seed.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { eventCorpus, SNAPSHOT_VERSION, TICKET_ORDERS } from './events-corpus.ts';
import { cpuSeconds, processTree } from './process.ts';
import { benchDatabaseUrl, dropDatabase, recreateDatabase } from './load.ts';
import { ensureWrk, freePort } from './wrk.ts';

const DATABASE = 'peakdesk_bench_events';
const TARGETS = { eventsPerSecond: 5000, duplicatesApplied: 0 };
const here = new URL('.', import.meta.url).pathname;
const serverDir = join(here, '..');
const log = (message: string) => console.error(`[bench:events] ${message}`);

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    connections: { type: 'string', default: '64' },
    workers: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const opts = {
  seconds: Number(values.seconds),
  connections: Number(values.connections),
  workers: Number(values.workers),
  keep: values.keep,
};

interface WrkResult {
  requests: number;
  durationUs: number;
  socketErrors: number;
  timeouts: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  firsts: number;
  duplicates: number;
  stale: number;
  applied: number;
  statuses: Record<string, number>;
}

function runWrk(
  wrk: string,
  url: string,
  connections: number,
  seconds: number,
  corpus: string,
): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      wrk,
      [
        '-t1',
        `-c${connections}`,
        `-d${seconds}s`,
        '--timeout',
        '10s',
        '-s',
        join(here, 'events.wrk.lua'),
        url,
        '--',
        corpus,
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

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/peakdesk.js', 'start', '--workers', String(opts.workers)], {
    cwd: serverDir,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 1800; i++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const wrk = ensureWrk(log);
const config = loadConfig();
const server = await resolveDatabaseServer(config, log);
if (!/@(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(server.url))
  throw new Error('bench:events runs on loopback only');
await recreateDatabase(server.url, DATABASE);
const url = benchDatabaseUrl(server.url, DATABASE);
// A long connect timeout: the machine may be busy, and the bench must not fail on a slow first connection.
const db = createDb(new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 60_000 }));
const work = mkdtempSync(join(tmpdir(), 'peakdesk-events-bench-'));
const secretKey = randomBytes(32).toString('base64');
const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
let child: ChildProcess | undefined;
let stubShop: HttpServer | undefined;
let result: Record<string, unknown> = {};
try {
  await migrateToLatest(db);
  // `peakdesk start` seeds the demo tenant on a fresh database; done here once, so start-up is quick.
  await installJobQueue(url);
  await seedDemoTenant(db, { email: 'admin@demo.peakdesk.local', password: 'peakdesk-demo' });
  const tenant = await createTenant(db, {
    slug: 'bench-events',
    name: '大促事件压测店',
    adminEmail: 'admin@bench-events.example',
    adminPassword: 'bench-events-password',
  });
  const tenantId = tenant.tenantId;
  // The demo shop's API answering every lookup as its 404 does: re-fetch jobs finish at once (null order).
  const shop = createHttpServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{"error":{"code":"NOT_FOUND","message":"no such order"}}');
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  stubShop = shop;
  const shopUrl = `http://127.0.0.1:${(shop.address() as { port: number }).port}`;
  const box = new SecretBox(parseSecretKey(secretKey));
  const connectionId = uuidv7();
  await insertConnection(
    db,
    {
      tenantId,
      id: connectionId,
      kind: 'demo-shop',
      name: 'bench shop',
      baseUrl: shopUrl,
      credentials: sealCredentials(box, tenantId, connectionId, { apiKey: 'bench' }),
      webhookSecret: sealWebhookSecret(box, tenantId, connectionId, webhookSecret),
      settings: { autoReplyOnShipment: true },
    },
    new Date(),
  );
  await sql`
    INSERT INTO order_snapshots (tenant_id, connection_id, order_id, order_number, status, version,
      order_updated_at, snapshot, fetched_at)
    SELECT ${tenantId}, ${connectionId}, 'O-BENCH-T' || k, 'BENCH-T' || k, 'paid', ${SNAPSHOT_VERSION}, now(),
      '{}'::jsonb, now() FROM generate_series(0, ${TICKET_ORDERS - 1}) AS k`.execute(db);
  const { token } = await new TokenService(db).create(null, {
    tenantId,
    name: 'bench events',
    role: 'integration',
  });

  const env = {
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    PEAKDESK_SECRET_KEY: secretKey,
    PEAKDESK_INTAKE_RATE_LIMIT: '0',
    PEAKDESK_DEMO_SHOP: 'off',
  };
  const port = await freePort();
  log(`starting PeakDesk with ${opts.workers} worker(s) on port ${port}`);
  child = await startServer(env, port);
  const base = `http://127.0.0.1:${port}`;
  for (let start = 0; start < TICKET_ORDERS; start += 500) {
    const items = Array.from({ length: 500 }, (_, i) => ({
      body: `我的订单 BENCH-T${start + i} 什么时候发货？物流一直没有更新`,
      channel: 'web',
      orderNumber: `BENCH-T${start + i}`,
      customer: { email: `buyer${start + i}@bench-events.example` },
    }));
    const response = await fetch(`${base}/api/v1/tickets/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (!response.ok) throw new Error(`ticket batch failed: ${response.status} ${await response.text()}`);
  }
  // Statistics as a running database has them (autovacuum would analyze within a minute or so): without them
  // the batch probe's open-ticket lookup scans every open ticket of the tenant instead of tickets_order_idx.
  await sql`ANALYZE`.execute(db);
  const corpus = join(work, 'events.txt');
  const { lines: corpusLines, stats: corpusStats } = eventCorpus(
    webhookSecret,
    Math.max(60_000, opts.seconds * 12_000 + 40_000),
  );
  writeFileSync(
    corpus,
    `${corpusLines.map((l) => `${l.timestamp}\t${l.signature}\t${l.body}`).join('\n')}\n`,
  );
  log(`corpus: ${JSON.stringify(corpusStats)}`);
  const endpoint = `${base}/api/v1/webhooks/shops/${connectionId}`;
  log('warm-up: 3 s');
  const loadBefore = uptime();
  // The warm-up sends the corpus's first lines; the measured run continues from the start again, so its
  // first deliveries of those lines count as duplicates — as a retried surge would.
  await runWrk(wrk, endpoint, 16, 3, corpus);
  log(`run: ${opts.seconds} s, ${opts.connections} connections`);
  const backends = async () =>
    (
      await sql<{
        pid: number;
      }>`SELECT pid FROM pg_stat_activity WHERE datname = ${DATABASE} AND pid <> pg_backend_pid()`.execute(db)
    ).rows.map((r) => r.pid);
  const serverPids = processTree(child.pid!);
  const pgPids = await backends();
  const cpuBefore = { server: cpuSeconds(serverPids), database: cpuSeconds(pgPids) };
  const run = await runWrk(wrk, endpoint, opts.connections, opts.seconds, corpus);
  const cpu = {
    serverSeconds: cpuSeconds(serverPids) - cpuBefore.server,
    databaseSeconds: cpuSeconds(pgPids) - cpuBefore.database,
  };
  const loadAfter = uptime();
  await new Promise((r) => setTimeout(r, 500));

  const [stored, twice, backwards, entries] = await Promise.all([
    sql<{ n: number }>`SELECT count(*)::int AS n FROM shop_events WHERE tenant_id = ${tenantId}`.execute(db),
    sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT ticket_id, changes->0->'after'->>'eventId' FROM ticket_events
         WHERE tenant_id = ${tenantId} AND action = 'order.event' GROUP BY 1, 2 HAVING count(*) > 1) d`.execute(
      db,
    ),
    sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ticket_events WHERE tenant_id = ${tenantId} AND action = 'order.event'
         AND (changes->0->'after'->>'orderVersion')::int < ${SNAPSHOT_VERSION}`.execute(db),
    sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ticket_events WHERE tenant_id = ${tenantId} AND action = 'order.event'`.execute(
      db,
    ),
  ]);
  const seconds = run.durationUs / 1e6;
  const ok = run.statuses['200'] ?? 0;
  result = {
    eventsPerSecond: Math.round(ok / seconds),
    requestsPerSecond: Math.round(run.requests / seconds),
    p50Ms: run.p50Us / 1000,
    p90Ms: run.p90Us / 1000,
    p99Ms: run.p99Us / 1000,
    maxMs: run.maxUs / 1000,
    errors: run.requests - ok + run.socketErrors + run.timeouts,
    statuses: run.statuses,
    socketErrors: run.socketErrors,
    timeouts: run.timeouts,
    acknowledged: {
      firstDeliveries: run.firsts,
      duplicates: run.duplicates,
      stale: run.stale,
      applied: run.applied,
    },
    database: {
      eventIdsStored: stored.rows[0]!.n,
      timelineEntries: entries.rows[0]!.n,
      duplicatesApplied: twice.rows[0]!.n,
      olderThanSnapshotApplied: backwards.rows[0]!.n,
    },
    // What one event costs, whatever else the machine runs: CPU of PeakDesk's processes and of the bench
    // database's backends during the measured run, per acknowledged event.
    cpu: {
      ...cpu,
      serverCpuMsPerEvent: Math.round((cpu.serverSeconds * 1e6) / Math.max(1, ok)) / 1000,
      databaseCpuMsPerEvent: Math.round((cpu.databaseSeconds * 1e6) / Math.max(1, ok)) / 1000,
      eventsPerCpuSecond: Math.round(ok / Math.max(0.01, cpu.serverSeconds + cpu.databaseSeconds)),
    },
    corpus: corpusStats,
    load: { before: loadBefore, after: loadAfter, loadavg: loadavg() },
  };
} finally {
  if (child && child.exitCode === null) {
    await new Promise<void>((resolve) => {
      child!.once('exit', () => resolve());
      child!.kill('SIGTERM');
    });
  }
  stubShop?.close();
  await db.destroy();
  rmSync(work, { recursive: true, force: true });
  if (!opts.keep) await dropDatabase(server.url, DATABASE);
  await server.stop();
}

const database = result.database as { duplicatesApplied: number } | undefined;
console.log(
  JSON.stringify(
    {
      benchmark: 'events',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length },
      options: opts,
      targets: TARGETS,
      met: {
        eventsPerSecond: ((result.eventsPerSecond as number) ?? 0) >= TARGETS.eventsPerSecond,
        duplicatesApplied: database?.duplicatesApplied === 0,
      },
      ...result,
    },
    null,
    2,
  ),
);
