/**
 * Nothing acknowledged is lost, nothing is created twice: a surge of keyed tickets against a real server
 * process, (1) killed with SIGKILL mid-surge and restarted, (2) with its PostgreSQL stopped mid-surge and
 * started again. Every request left unanswered (or answered 503) is retried with its key until it is
 * answered; then every acknowledged ticket must exist exactly once, and every key must have one ticket.
 *
 * The second case runs a private PostgreSQL (Debian's binaries, as the postgres user, on a temporary data
 * directory and a free port): the machine's shared PostgreSQL is used by other test runs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb, createPool, migrateToLatest, type Db } from '../src/db/database.ts';
import { createTenant } from '../src/modules/tenants/tenant.service.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { freePort, scratchDatabase } from './scratch.ts';

const SERVER_DIR = new URL('..', import.meta.url).pathname;
const PG_BIN = '/usr/lib/postgresql/15/bin';
const SURGE = 400;
const CONCURRENCY = 24;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startServer(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/peakdesk.js', 'start'], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      LOG_LEVEL: 'fatal',
      PEAKDESK_INTAKE_RATE_LIMIT: '0',
      PEAKDESK_DB_POOL: '8',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await pause(100);
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

interface Ledger {
  /** key → ticket id of every 201 received. */
  acked: Map<string, Set<string>>;
  /** Keys sent whose answer never came, or came as 503. */
  unanswered: Set<string>;
  statuses: Map<number, number>;
}

function newLedger(): Ledger {
  return { acked: new Map(), unanswered: new Set(), statuses: new Map() };
}

function payloadOf(key: string, i: number) {
  const zh = i % 2 === 0;
  return {
    body: zh ? `订单 ${i} 三天还没发货，请尽快处理。` : `Order ${i} has not shipped after three days.`,
    channel: 'web',
    customer: i % 3 === 0 ? { email: `returning${i % 20}@loss.example` } : { email: `new${i}@loss.example` },
    fields: { lossKey: key },
  };
}

/** Sends one keyed ticket once and records what came back. */
async function sendOnce(
  base: string,
  token: string,
  key: string,
  i: number,
  ledger: Ledger,
): Promise<number> {
  try {
    const response = await fetch(`${base}/api/v1/tickets`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(payloadOf(key, i)),
      signal: AbortSignal.timeout(15_000),
    });
    ledger.statuses.set(response.status, (ledger.statuses.get(response.status) ?? 0) + 1);
    const body = (await response.json()) as { id?: string };
    if (response.status === 201) {
      const ids = ledger.acked.get(key) ?? new Set<string>();
      ids.add(body.id!);
      ledger.acked.set(key, ids);
      ledger.unanswered.delete(key);
    } else ledger.unanswered.add(key);
    return response.status;
  } catch {
    ledger.unanswered.add(key);
    return 0;
  }
}

/** Sends keys [from, to) with bounded concurrency; `onSent` may disrupt the server mid-surge. */
async function surge(
  base: () => string,
  token: string,
  prefix: string,
  ledger: Ledger,
  onProgress: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SURGE) {
        const i = next++;
        await sendOnce(base(), token, `${prefix}-${i}`, i, ledger);
        onProgress(++done);
      }
    }),
  );
}

/** Retries every unanswered key until it is answered 201, like a client honouring Retry-After. */
async function retryUnanswered(base: string, token: string, prefix: string, ledger: Ledger): Promise<void> {
  for (let round = 0; round < 100 && ledger.unanswered.size > 0; round++) {
    const keys = [...ledger.unanswered];
    for (let k = 0; k < keys.length; k += CONCURRENCY) {
      await Promise.all(
        keys
          .slice(k, k + CONCURRENCY)
          .map((key) => sendOnce(base, token, key, Number(key.slice(prefix.length + 1)), ledger)),
      );
    }
    if (ledger.unanswered.size) await pause(200);
  }
}

async function verify(db: Db, tenantId: string, prefix: string, ledger: Ledger): Promise<void> {
  expect(ledger.unanswered.size).toBe(0);
  // Every key was answered, always with the same ticket.
  expect(ledger.acked.size).toBe(SURGE);
  expect([...ledger.acked.values()].filter((ids) => ids.size !== 1)).toEqual([]);
  const rows = await sql<{ key: string; ids: string[] }>`
    SELECT fields->>'lossKey' AS key, array_agg(id::text) AS ids FROM tickets
    WHERE tenant_id = ${tenantId} AND fields->>'lossKey' LIKE ${`${prefix}-%`}
    GROUP BY 1`.execute(db);
  const stored = new Map(rows.rows.map((r) => [r.key, r.ids]));
  // No ticket twice, and every acknowledged ticket is there.
  expect(rows.rows.filter((r) => r.ids.length > 1)).toEqual([]);
  const missing = [...ledger.acked].filter(([key, ids]) => stored.get(key)?.[0] !== [...ids][0]);
  expect(missing).toEqual([]);
  expect(stored.size).toBe(SURGE);
}

async function tenantWithToken(db: Db, slug: string): Promise<{ tenantId: string; token: string }> {
  const { tenantId } = await createTenant(db, {
    slug,
    name: 'Loss test shop',
    adminEmail: `admin@${slug}.test`,
    adminPassword: 'loss-test-password',
  });
  const { token } = await new TokenService(db).create(null, {
    tenantId,
    name: 'intake',
    role: 'integration',
  });
  return { tenantId, token };
}

describe('intake loses nothing it acknowledged', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it(
    'survives SIGKILL of the server mid-surge: retried keys replay, none is created twice',
    { timeout: 120_000 },
    async () => {
      // A database of its own: the server's background sweeps (assignment, SLA escalation) act on every
      // tenant they find, and must not touch the tenants of test files running beside this one.
      const scratch = await scratchDatabase(inject('databaseUrl'), 'peakdesk_loss');
      cleanups.push(scratch.drop);
      const databaseUrl = scratch.url;
      const db = createDb(createPool(databaseUrl, 2));
      cleanups.push(() => db.destroy());
      await migrateToLatest(db);
      const { tenantId, token } = await tenantWithToken(db, `loss-kill-${Date.now().toString(36)}`);
      const port = await freePort();
      let server = await startServer(databaseUrl, port);
      cleanups.push(() => killed(server, 'SIGKILL'));
      const base = `http://127.0.0.1:${port}`;
      const ledger = newLedger();
      let struck = false;
      await surge(
        () => base,
        token,
        'kill',
        ledger,
        (done) => {
          if (!struck && done === Math.floor(SURGE / 3)) {
            struck = true;
            server.kill('SIGKILL');
          }
        },
      );
      expect(struck).toBe(true);
      expect(ledger.acked.size).toBeGreaterThan(0);
      expect(ledger.unanswered.size).toBeGreaterThan(0);
      await killed(server, 'SIGKILL');
      server = await startServer(databaseUrl, port);
      await retryUnanswered(base, token, 'kill', ledger);
      await verify(db, tenantId, 'kill', ledger);
      await killed(server, 'SIGTERM');
    },
  );

  it(
    'answers 503 while PostgreSQL is down, recovers by itself, and loses nothing',
    { timeout: 120_000 },
    async () => {
      if (!existsSync(`${PG_BIN}/pg_ctl`)) throw new Error(`PostgreSQL binaries not found in ${PG_BIN}`);
      const dataDir = mkdtempSync(join(tmpdir(), 'peakdesk-loss-pg-'));
      chownSync(
        dataDir,
        Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
        Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
      );
      const pgPort = await freePort();
      const asPostgres = (args: string[]) =>
        execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore', timeout: 60_000 });
      const pgCtl = (action: string, extra: string[] = []) =>
        asPostgres([`${PG_BIN}/pg_ctl`, '-D', join(dataDir, 'data'), '-w', ...extra, action]);
      asPostgres([
        `${PG_BIN}/initdb`,
        '-D',
        join(dataDir, 'data'),
        '-U',
        'postgres',
        '-A',
        'trust',
        '--no-sync',
      ]);
      const options = `-p ${pgPort} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
      pgCtl('start', ['-o', options, '-l', join(dataDir, 'log')]);
      cleanups.push(async () => {
        try {
          pgCtl('stop', ['-m', 'immediate']);
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      });
      const url = `postgres://postgres@127.0.0.1:${pgPort}/postgres`;
      const db = createDb(createPool(url, 2));
      cleanups.push(() => db.destroy());
      await migrateToLatest(db);
      const { tenantId, token } = await tenantWithToken(db, 'loss-pg');
      const port = await freePort();
      const server = await startServer(url, port);
      cleanups.push(() => killed(server, 'SIGKILL'));
      const base = `http://127.0.0.1:${port}`;
      const ledger = newLedger();
      let downAt = -1;
      const statusesWhileDown = new Map<number, number>();
      await surge(
        () => base,
        token,
        'pg',
        ledger,
        (done) => {
          if (downAt < 0 && done === Math.floor(SURGE / 4)) {
            downAt = done;
            pgCtl('stop', ['-m', 'fast']);
          }
        },
      );
      expect(downAt).toBeGreaterThan(0);
      // The database is still down: intake must answer (503 + Retry-After), not hang or crash.
      const probe = await fetch(`${base}/api/v1/tickets`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': 'pg-probe',
        },
        body: JSON.stringify(payloadOf('pg-probe', 0)),
      });
      statusesWhileDown.set(probe.status, 1);
      expect(probe.status).toBe(503);
      expect(Number(probe.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(ledger.statuses.get(503) ?? 0).toBeGreaterThan(0);
      pgCtl('start', ['-o', options, '-l', join(dataDir, 'log')]);
      await retryUnanswered(base, token, 'pg', ledger);
      expect(server.exitCode).toBeNull();
      await verify(db, tenantId, 'pg', ledger);
      await killed(server, 'SIGTERM');
    },
  );
});
