import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, createPool, migrateToLatest } from '../src/db/database.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { installJobQueue } from '../src/jobs/runner.ts';
import { freePort, scratchDatabase } from './scratch.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL server to test on: DATABASE_URL (by default the machine's, 127.0.0.1:5432). When it cannot
 * be reached, as on a fresh machine without PostgreSQL, an embedded one in a temporary directory, removed
 * afterwards, so that `npm ci && npm test` works anywhere.
 */
async function testServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  if (await canConnect(url)) return { url, stop: async () => undefined };
  const where = new URL(url);
  console.warn(
    `[test] PostgreSQL at ${where.hostname}:${where.port || 5432} is unreachable: using an embedded PostgreSQL`,
  );
  // The embedded server runs as the postgres user when we are root: it must be able to enter the directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'peakdesk-test-pg-'));
  chmodSync(dataDir, 0o755);
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log: (message) => console.warn(`[test] ${message}`),
  });
  const base = new URL(embedded.url);
  base.pathname = '/postgres';
  return {
    url: base.toString(),
    async stop() {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Each test run gets a database of its own on the test server, migrated from scratch and dropped afterwards,
 * so runs never see each other's rows.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await testServer();
  const database = await scratchDatabase(server.url, 'peakdesk_test');
  const url = database.url;
  const pool = createPool(url, 2);
  const db = createDb(pool);
  await migrateToLatest(db);
  await db.destroy();
  await installJobQueue(url);
  project.provide('databaseUrl', url);

  return async () => {
    if (!process.env.PEAKDESK_KEEP_TEST_DB) await database.drop();
    await server.stop();
  };
}
