/**
 * Creates the benchmark database and fills it with COPY. Secondary indexes are dropped before the load and
 * rebuilt after it (one sort per index instead of a million insertions), foreign-key triggers are skipped
 * for the bulk session (the generator only ever references rows it made), and the tables are vacuumed so
 * that queries see set hint bits and an all-visible map, as on a long-running database, and so that
 * autovacuum does not start on the fresh million rows in the middle of the timings.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { createDb, createPool, migrateToLatest } from '../src/db/database.ts';
import {
  COLUMNS,
  Rng,
  buildWorld,
  creationTimes,
  generateTicket,
  planTenants,
  tenantPicker,
  type TenantPlan,
} from './generator.ts';

/** Bump when the generator's output changes, so `--reuse` reloads instead of measuring stale data. */
export const GENERATOR_VERSION = 1;

const DATA_TABLES = ['customers', 'customer_identities', 'tickets', 'ticket_messages', 'ticket_events'];

export interface LoadedTenant {
  id: string;
  slug: string;
  tickets: number;
}

interface Marker {
  version: number;
  seed: number;
  tickets: number;
}

export function benchDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'peakdesk-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The marker the last complete load left on the database, if it matches what we would load now. */
export async function findReusable(serverUrl: string, name: string, wanted: Marker): Promise<boolean> {
  return withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (!rows[0]?.comment) return false;
    try {
      const marker = JSON.parse(rows[0].comment) as Marker;
      return (
        marker.version === wanted.version && marker.seed === wanted.seed && marker.tickets === wanted.tickets
      );
    } catch {
      return false;
    }
  });
}

export async function recreateDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A COPY stream into `table` on its own connection; writes wait when PostgreSQL is behind. */
class CopySink {
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly stream: copyStreams.CopyStreamQuery,
  ) {}

  static async open(url: string, table: keyof typeof COLUMNS): Promise<CopySink> {
    const client = new pg.Client({ connectionString: url, application_name: 'peakdesk-bench' });
    await client.connect();
    // The generator makes consistent rows; checking each foreign key row by row would double the load.
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET synchronous_commit = off`);
    const stream = client.query(copyStreams.from(`COPY ${table} (${COLUMNS[table]}) FROM STDIN`));
    return new CopySink(client, stream);
  }

  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size >= 1 << 18) await this.flush();
  }

  async writeAll(lines: readonly string[]): Promise<void> {
    for (const line of lines) await this.write(line);
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    await this.client.end();
  }
}

interface IndexDef {
  name: string;
  table: string;
  def: string;
}

async function dropSecondaryIndexes(url: string): Promise<IndexDef[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<IndexDef>(
      `SELECT ic.relname AS name, tc.relname AS "table", pg_get_indexdef(i.indexrelid) AS def
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class tc ON tc.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = tc.relnamespace
        WHERE n.nspname = 'public' AND tc.relname = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
      [DATA_TABLES],
    );
    for (const index of rows) await client.query(`DROP INDEX ${index.name}`);
    return rows;
  });
}

/** Vacuums and rebuilds on two connections: the GIN index alone takes about as long as all the B-trees. */
async function finishTables(url: string, indexes: IndexDef[], log: (m: string) => void): Promise<void> {
  const isHeavy = (index: IndexDef) => / USING gin /i.test(index.def) && index.table === 'tickets';
  const lanes = [
    { tables: ['tickets'], indexes: indexes.filter(isHeavy) },
    {
      tables: DATA_TABLES.filter((t) => t !== 'tickets'),
      indexes: indexes.filter((i) => !isHeavy(i)),
    },
  ];
  await Promise.all(
    lanes.map((lane) =>
      withClient(url, async (client) => {
        await client.query(`SET maintenance_work_mem = '1GB'`);
        for (const table of lane.tables) {
          const started = performance.now();
          await client.query(`VACUUM ${table}`);
          log(`vacuumed ${table} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
        for (const index of lane.indexes) {
          const started = performance.now();
          await client.query(index.def);
          log(`built ${index.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        }
      }),
    ),
  );
  await withClient(url, async (client) => {
    for (const table of [...DATA_TABLES, 'users', 'teams', 'team_members', 'tenants']) {
      await client.query(`ANALYZE ${table}`);
    }
  });
}

export interface LoadResult {
  tenants: LoadedTenant[];
  tickets: number;
  messages: number;
  events: number;
  seconds: number;
}

/** Migrates the (empty) database at `url` and loads `tickets` generated tickets from `seed`. */
export async function loadBenchData(options: {
  serverUrl: string;
  name: string;
  tickets: number;
  seed: number;
  log: (message: string) => void;
}): Promise<LoadResult> {
  const { log } = options;
  const url = benchDatabaseUrl(options.serverUrl, options.name);
  const started = performance.now();
  const pool = createPool(url, 2);
  const db = createDb(pool);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  const indexes = await dropSecondaryIndexes(url);
  log(`dropped ${indexes.length} secondary indexes for the load`);

  const rng = new Rng(options.seed);
  const plans: TenantPlan[] = planTenants(options.tickets);
  const { worlds, rows } = buildWorld(plans, rng);
  for (const [table, lines] of [
    ['tenants', rows.tenants],
    ['teams', rows.teams],
    ['users', rows.users],
    ['team_members', rows.teamMembers],
    ['customers', rows.customers],
    ['customer_identities', rows.identities],
  ] as const) {
    const sink = await CopySink.open(url, table);
    await sink.writeAll(lines);
    await sink.close();
  }
  log(`loaded ${rows.customers.length} customers, ${rows.users.length} agents, ${rows.teams.length} teams`);

  const tickets = await CopySink.open(url, 'tickets');
  const messages = await CopySink.open(url, 'ticket_messages');
  const events = await CopySink.open(url, 'ticket_events');
  const pick = tenantPicker(worlds, rng);
  let count = 0;
  let lastLog = performance.now();
  for (const created of creationTimes(options.tickets, rng)) {
    const generated = generateTicket(pick(), rng, created);
    await tickets.write(generated.ticket);
    await messages.writeAll(generated.messages);
    await events.writeAll(generated.events);
    count++;
    if (performance.now() - lastLog > 5000) {
      lastLog = performance.now();
      const seconds = (lastLog - started) / 1000;
      log(`${count.toLocaleString('en')} tickets (${Math.round(count / seconds)}/s)`);
    }
  }
  await Promise.all([tickets.close(), messages.close(), events.close()]);
  log(
    `copied ${count} tickets, ${messages.rows} messages, ${events.rows} events in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; vacuuming and building indexes`,
  );

  await withClient(url, async (client) => {
    for (const world of worlds) {
      await client.query(
        `INSERT INTO tenant_counters (tenant_id, name, value) VALUES ($1, 'ticket', $2)
         ON CONFLICT DO NOTHING`,
        [world.id, world.nextNumber - 1],
      );
    }
  });
  await finishTables(url, indexes, log);
  const seconds = (performance.now() - started) / 1000;
  const marker: Marker = { version: GENERATOR_VERSION, seed: options.seed, tickets: options.tickets };
  await withClient(options.serverUrl, (client) =>
    client.query(`COMMENT ON DATABASE ${options.name} IS '${JSON.stringify(marker)}'`),
  );
  return {
    tenants: worlds.map((w) => ({ id: w.id, slug: w.plan.slug, tickets: w.plan.tickets })),
    tickets: count,
    messages: messages.rows,
    events: events.rows,
    seconds,
  };
}
