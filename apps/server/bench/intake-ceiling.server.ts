/**
 * The bare ceiling of `npm run bench:intake`: a minimal Fastify route that group-commits the same ticket rows
 * into one table, with nothing else (no auth, no validation beyond JSON parsing, no customers, numbers,
 * messages, events, idempotency or search vector). PeakDesk's intake divided by this is the share of the
 * machine's durable-insert capacity that the real work leaves.
 *
 * Environment: DATABASE_URL, PORT, WORKERS (node:cluster processes, as `peakdesk start --workers`).
 */
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { GroupCommitter } from '../src/modules/intake/group-commit.ts';

const url = process.env.DATABASE_URL!;
const port = Number(process.env.PORT);
const workers = Number(process.env.WORKERS || 1);
const TENANT = '00000000-0000-7000-8000-000000000001';

interface Row {
  id: string;
  subject: string;
  body: string;
  channel: string;
  customer: string;
}

async function serve(): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => undefined);
  const committer = new GroupCommitter<Row, string>({
    commit: async (rows) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO bench_ceiling (tenant_id, id, subject, body, channel, customer)
           SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
          [
            TENANT,
            rows.map((r) => r.id),
            rows.map((r) => r.subject),
            rows.map((r) => r.body),
            rows.map((r) => r.channel),
            rows.map((r) => r.customer),
          ],
        );
        await client.query('COMMIT');
        return rows.map((r) => r.id);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    isItemError: () => false,
    maxBatchSize: 256,
    maxConcurrentCommits: 4,
    maxQueued: 100_000,
    maxWaitMs: 60_000,
  });
  const app = Fastify({ logger: false });
  app.post('/api/v1/tickets', async (request, reply) => {
    const input = request.body as {
      subject?: string;
      body: string;
      channel: string;
      customer: unknown;
      fields?: unknown;
    };
    const id = await committer.submit({
      id: randomUUID(),
      subject: input.subject ?? input.body.slice(0, 60),
      body: input.body,
      channel: input.channel,
      customer: JSON.stringify(input.customer),
    });
    return reply.status(201).send({ id, fields: input.fields ?? {} });
  });
  await app.listen({ port, host: '127.0.0.1' });
}

if (cluster.isPrimary) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS bench_ceiling (
    tenant_id uuid NOT NULL, id uuid NOT NULL, subject text NOT NULL, body text NOT NULL,
    channel text NOT NULL, customer jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id))`);
  await client.end();
  if (workers <= 1) await serve();
  else {
    // Workers re-run bin/run-ts.js, which needs this file as its argument again.
    cluster.setupPrimary({ exec: process.argv[1]!, args: [new URL(import.meta.url).pathname] });
    for (let i = 0; i < workers; i++) cluster.fork();
    process.once('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      process.exit(0);
    });
  }
} else {
  await serve();
}
