/**
 * `npm run bench:read`: loads 1,000,000 generated tickets into a fresh database `peakdesk_bench` (COPY),
 * then times the read paths agents hit all day — their queue, a team queue, one ticket with its thread, and
 * Chinese searches — through the tickets repository, and prints one JSON document on stdout. Progress goes
 * to stderr. Runs against DATABASE_URL (loopback only) or the embedded PostgreSQL, as `peakdesk start` does.
 *
 * Options: --tickets N (1000000), --seed S (20261111), --iterations N (300), --reuse (keep an identical
 * earlier load), --keep (leave the database for inspection), --explain (EXPLAIN ANALYZE each shape to stderr).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { CompiledQuery } from 'kysely';
import { Kysely, PostgresDialect, CamelCasePlugin } from 'kysely';
import type pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { TokenService } from '../src/modules/tokens/token.service.ts';
import { httpReadPath } from './read.http.ts';
import { createPool } from '../src/db/database.ts';
import { resolveDatabaseServer } from '../src/db/open.ts';
import type { Database } from '../src/db/tables.ts';
import {
  GENERATOR_VERSION,
  benchDatabaseUrl,
  dropDatabase,
  findReusable,
  loadBenchData,
  recreateDatabase,
} from './load.ts';
import { measure, summarise, type Summary } from './measure.ts';
import { repositoryReadPath, type ReadPath } from './read.queries.ts';
import { Rng } from './generator.ts';

const DATABASE = 'peakdesk_bench';
const TWO_CHAR_WORDS = ['发货', '退款', '价保', '物流', '快递', '发票'];
const FOUR_CHAR_WORDS = ['价格保护', '七天无理由', '退货退款', '催促发货', '乌鲁木齐', '智能手表'];
/** Rare phrases (well under 0.3% of tickets) and one that matches nothing: the GIN fallback of a search. */
const RARE_WORDS = ['羽绒服外包装', '电饭煲用了', '寄到乌鲁木齐', '没有这个词'];
const TARGETS = { queueP99Ms: 20, ticketP99Ms: 20, searchP99Ms: 100 };

const USAGE = `usage: npm run -s bench:read -- [--tickets N] [--seed S] [--iterations N] [--reuse] [--keep]
                                   [--explain] [--skip-http]`;

class UsageError extends Error {}

const log = (message: string) => console.error(`[bench:read] ${message}`);

function parseOptions() {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '20261111' },
      iterations: { type: 'string', default: '300' },
      reuse: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
      'skip-http': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name: string, raw: string, min: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min)
      throw new UsageError(`--${name} must be a whole number ≥ ${min}`);
    return value;
  };
  return {
    tickets: int('tickets', values.tickets, 1000),
    seed: int('seed', values.seed, 0),
    iterations: int('iterations', values.iterations, 10),
    reuse: values.reuse,
    keep: values.keep || values.reuse,
    explain: values.explain,
    http: !values['skip-http'],
  };
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`bench:read runs against a local PostgreSQL only (127.0.0.1), not ${host}`);
  }
}

/** Kysely that remembers the last statements it ran, so each shape can be EXPLAINed exactly as issued. */
function recordingDb(pool: pg.Pool) {
  const recorded: CompiledQuery[] = [];
  let recording = false;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new CamelCasePlugin()],
    log: (event) => {
      if (recording && event.level === 'query') recorded.push(event.query);
    },
  });
  return {
    db,
    capture: async (run: () => Promise<unknown>): Promise<CompiledQuery[]> => {
      recorded.length = 0;
      recording = true;
      try {
        await run();
      } finally {
        recording = false;
      }
      return [...recorded];
    },
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) each statement to stderr; returns their summed execution time (ms). */
async function explain(pool: pg.Pool, name: string, queries: CompiledQuery[]): Promise<number> {
  let total = 0;
  for (const query of queries) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`,
      query.parameters as unknown[],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    total += Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
    log(`EXPLAIN ${name}:\n${query.sql}\n${plan}\n`);
  }
  return Math.round(total * 1000) / 1000;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const config = loadConfig();
  const server = await resolveDatabaseServer(config, log);
  let dropAtEnd = false;
  try {
    assertLoopback(server.url);
    const url = benchDatabaseUrl(server.url, DATABASE);
    const wanted = { version: GENERATOR_VERSION, seed: options.seed, tickets: options.tickets };
    let load: {
      tickets: number;
      messages?: number;
      events?: number;
      seconds: number | null;
      reused: boolean;
    };
    if (options.reuse && (await findReusable(server.url, DATABASE, wanted))) {
      log(`reusing ${DATABASE} (${options.tickets} tickets, seed ${options.seed})`);
      load = { tickets: options.tickets, seconds: null, reused: true };
    } else {
      await recreateDatabase(server.url, DATABASE);
      dropAtEnd = !options.keep;
      log(`loading ${options.tickets.toLocaleString('en')} tickets into ${DATABASE}`);
      const result = await loadBenchData({ serverUrl: server.url, name: DATABASE, ...wanted, log });
      load = { ...result, seconds: Math.round(result.seconds * 10) / 10, reused: false };
      log(`load finished in ${load.seconds} s`);
    }
    dropAtEnd = !options.keep;

    const pool = createPool(url, 4);
    const { db, capture } = recordingDb(pool);
    try {
      const report = await runQueries(pool, repositoryReadPath(db), capture, options);
      const http = options.http ? await timeHttp(pool, db, report.dataset.tenantId, options) : null;
      const pgVersion = (await pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`))
        .rows[0]!.v;
      const queries = report.queries;
      const pass = {
        agentQueue: queries.agentQueue.p99Ms <= TARGETS.queueP99Ms,
        agentQueueNextPage: queries.agentQueueNextPage.p99Ms <= TARGETS.queueP99Ms,
        teamQueue: queries.teamQueue.p99Ms <= TARGETS.queueP99Ms,
        ticketWithMessages: queries.ticketWithMessages.p99Ms <= TARGETS.ticketP99Ms,
        searchTwoChar: queries.searchTwoChar.p99Ms <= TARGETS.searchP99Ms,
        searchFourChar: queries.searchFourChar.p99Ms <= TARGETS.searchP99Ms,
        searchRare: queries.searchRare.p99Ms <= TARGETS.searchP99Ms,
      };
      const document = {
        benchmark: 'read',
        date: new Date().toISOString(),
        machine: {
          cores: cpus().length,
          cpu: cpus()[0]?.model ?? 'unknown',
          node: process.version,
          pg: pgVersion,
          loadAverage1m: report.loadAverage1m,
        },
        load,
        dataset: report.dataset,
        source: report.source,
        queries,
        searchByWord: report.byWord,
        ...(options.explain ? { databaseExecutionMs: report.executionMs } : {}),
        http,
        targets: TARGETS,
        pass: { ...pass, all: Object.values(pass).every(Boolean) },
      };
      console.log(JSON.stringify(document, null, 2));
    } finally {
      await db.destroy();
    }
  } finally {
    if (dropAtEnd) {
      log(`dropping ${DATABASE} (--keep keeps it)`);
      await dropDatabase(server.url, DATABASE);
    }
    await server.stop();
  }
}

async function runQueries(
  pool: pg.Pool,
  read: ReadPath,
  capture: ((run: () => Promise<unknown>) => Promise<CompiledQuery[]>) | null,
  options: { iterations: number; explain: boolean; seed: number },
) {
  const tenants = await loadedTenantsFrom(pool);
  const tenant = tenants[0]!;
  const rng = new Rng(options.seed + 1);
  const agents = (
    await pool.query<{ id: string; open: number }>(
      `SELECT assignee_id AS id, count(*)::int AS open FROM tickets
        WHERE tenant_id = $1 AND assignee_id IS NOT NULL AND status NOT IN ('solved', 'closed')
        GROUP BY assignee_id ORDER BY assignee_id`,
      [tenant.id],
    )
  ).rows;
  const teams = (
    await pool.query<{ id: string }>(`SELECT id FROM teams WHERE tenant_id = $1 ORDER BY id`, [tenant.id])
  ).rows;
  const ticketIds = (
    await pool.query<{ id: string }>(
      `SELECT id FROM tickets TABLESAMPLE SYSTEM (1) REPEATABLE (${options.seed % 1000}) WHERE tenant_id = $1 LIMIT 2000`,
      [tenant.id],
    )
  ).rows.map((r) => r.id);
  const busyAgents = agents.filter((a) => a.open > 25);
  if (!teams.length || !ticketIds.length) throw new Error('the bench database is empty');
  // The next-page shape needs agents with a second page of open tickets.
  if (!busyAgents.length) {
    throw new UsageError('no agent has a second page of open tickets: load more (--tickets 50000 or more)');
  }
  const pickFrom = <T>(items: readonly T[]) => items[rng.int(items.length)]!;
  const n = options.iterations;
  const warmup = Math.min(50, n);
  const nonEmpty = (name: string) => (result: { items: unknown[] }) => {
    if (!result.items.length) throw new Error(`${name} returned no rows`);
  };

  const loadBefore = loadavg()[0]!;
  log(`timing against ${tenant.slug} (${tenant.tickets} tickets, ${agents.length} agents with open tickets)`);
  const agentQueue = summarise(
    await measure(
      n,
      warmup,
      () => read.agentQueue(tenant.id, pickFrom(busyAgents).id),
      nonEmpty('agent queue'),
    ),
  );
  // The second page: the cursor comes from an untimed first page.
  const cursors: { agent: string; cursor: string }[] = [];
  for (const agent of busyAgents.slice(0, 60)) {
    const first = await read.agentQueue(tenant.id, agent.id);
    if (first.nextCursor) cursors.push({ agent: agent.id, cursor: first.nextCursor });
  }
  const agentQueueNextPage = summarise(
    await measure(
      n,
      warmup,
      () => {
        const { agent, cursor } = pickFrom(cursors);
        return read.agentQueue(tenant.id, agent, cursor);
      },
      nonEmpty('agent queue page 2'),
    ),
  );
  const teamQueue = summarise(
    await measure(n, warmup, () => read.teamQueue(tenant.id, pickFrom(teams).id), nonEmpty('team queue')),
  );
  const ticketWithMessages = summarise(
    await measure(
      n,
      warmup,
      () => read.ticketWithMessages(tenant.id, pickFrom(ticketIds)),
      (detail) => {
        if (!detail?.messages.length) throw new Error('ticket detail returned no messages');
      },
    ),
  );
  const byWord: Record<string, Summary> = {};
  /** Each word gets an equal share of the iterations; the summary pools all of them. */
  const searchAll = async (words: readonly string[], mustMatch = true): Promise<Summary> => {
    const all: number[] = [];
    const per = Math.max(10, Math.ceil(n / words.length));
    for (const word of words) {
      const samples = await measure(
        per,
        10,
        () => read.search(tenant.id, word),
        mustMatch ? nonEmpty(`search ${word}`) : undefined,
      );
      byWord[word] = summarise(samples);
      all.push(...samples);
    }
    return summarise(all);
  };
  const searchTwoChar = await searchAll(TWO_CHAR_WORDS);
  const searchFourChar = await searchAll(FOUR_CHAR_WORDS);
  const searchRare = await searchAll(RARE_WORDS, false);

  // Database execution time of one call of each shape (EXPLAIN ANALYZE of the statements it issued), to
  // tell the database's own cost from the time a busy machine adds around it.
  const executionMs: Record<string, number> = {};
  if (options.explain && capture) {
    const shapes: [string, () => Promise<unknown>][] = [
      ['agentQueue', () => read.agentQueue(tenant.id, busyAgents[0]!.id)],
      ['agentQueueNextPage', () => read.agentQueue(tenant.id, cursors[0]!.agent, cursors[0]!.cursor)],
      ['teamQueue', () => read.teamQueue(tenant.id, teams[0]!.id)],
      ['ticketWithMessages', () => read.ticketWithMessages(tenant.id, ticketIds[0]!)],
      ...[...TWO_CHAR_WORDS, ...FOUR_CHAR_WORDS, ...RARE_WORDS].map(
        (word): [string, () => Promise<unknown>] => [`search ${word}`, () => read.search(tenant.id, word)],
      ),
    ];
    for (const [name, run] of shapes) executionMs[name] = await explain(pool, name, await capture(run));
  }
  return {
    source: read.source,
    // The machine is shared: the 1-minute load average around the timings says how much.
    loadAverage1m: { before: round1(loadBefore), after: round1(loadavg()[0]!) },
    executionMs,
    dataset: {
      tenantId: tenant.id,
      tenant: tenant.slug,
      tenantTickets: tenant.tickets,
      tenants: tenants.length,
      agentsWithOpenTickets: agents.length,
    },
    queries: {
      agentQueue,
      agentQueueNextPage,
      teamQueue,
      ticketWithMessages,
      searchTwoChar,
      searchFourChar,
      searchRare,
    },
    byWord,
  };
}

/** The same shapes through HTTP (app.inject) with a supervisor's API token: separate figures. */
async function timeHttp(
  pool: pg.Pool,
  db: Db,
  tenantId: string,
  options: { iterations: number; seed: number },
) {
  const { token } = await new TokenService(db).create(null, {
    tenantId,
    name: 'bench:read',
    role: 'supervisor',
    department: null,
    userId: null,
  });
  const app = await buildApp({
    db,
    config: { bodyLimitBytes: 1 << 20, sessionTtlSeconds: 3600, secureCookies: false, logLevel: 'silent' },
    logger: false,
  });
  await app.ready();
  try {
    log('timing the same shapes through HTTP (app.inject)');
    const report = await runQueries(pool, httpReadPath(app, token), null, { ...options, explain: false });
    return { source: report.source, loadAverage1m: report.loadAverage1m, queries: report.queries };
  } finally {
    await app.close();
  }
}

const round1 = (value: number) => Math.round(value * 10) / 10;

async function loadedTenantsFrom(pool: pg.Pool) {
  const { rows } = await pool.query<{ id: string; slug: string; tickets: number }>(
    `SELECT t.id, t.slug, (SELECT count(*)::int FROM tickets k WHERE k.tenant_id = t.id) AS tickets
       FROM tenants t ORDER BY tickets DESC`,
  );
  return rows;
}

try {
  await main();
  process.exit(0);
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`bench:read: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
