import pg from 'pg';
import type { Config } from '../config.ts';
import { createDb, createPool, type Db } from './database.ts';
import { startEmbeddedPostgres } from './embedded.ts';

const EMBEDDED_PORT = Number(process.env.PEAKDESK_EMBEDDED_PG_PORT || 54329);

export interface DatabaseServer {
  url: string;
  /** Stops the embedded PostgreSQL when this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

export interface OpenDatabase {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** DATABASE_URL when set; else the embedded PostgreSQL, started unless another peakdesk process already did. */
export async function resolveDatabaseServer(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  log: (message: string) => void,
): Promise<DatabaseServer> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => undefined };
  const embeddedUrl = `postgres://postgres:peakdesk@127.0.0.1:${EMBEDDED_PORT}/peakdesk`;
  if (await canConnect(embeddedUrl)) return { url: embeddedUrl, stop: async () => undefined };
  log(`no DATABASE_URL: starting embedded PostgreSQL (data in ${config.dataDir}/pg, port ${EMBEDDED_PORT})`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: EMBEDDED_PORT, log });
  return { url: embedded.url, stop: () => embedded.stop() };
}

/** A pool and Kysely instance on the server chosen by resolveDatabaseServer. */
export async function openDatabase(config: Config, log: (message: string) => void): Promise<OpenDatabase> {
  const server = await resolveDatabaseServer(config, log);
  const pool = createPool(server.url, config.dbPoolSize);
  const db = createDb(pool);
  return {
    db,
    pool,
    async close() {
      await db.destroy();
      await server.stop();
    },
  };
}
