import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, createPool, migrateToLatest } from '../src/db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * Each test run gets a database of its own on the server named by DATABASE_URL (by default the machine's
 * PostgreSQL), migrated from scratch and dropped afterwards, so runs never see each other's rows.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const baseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const name = `peakdesk_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), 2);
  const db = createDb(pool);
  await migrateToLatest(db);
  await db.destroy();
  project.provide('databaseUrl', url.toString());

  return async () => {
    if (process.env.PEAKDESK_KEEP_TEST_DB) return;
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}
