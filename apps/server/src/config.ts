import { resolve } from 'node:path';

/** Everything PeakDesk reads from the environment, parsed once and frozen. */
export interface Config {
  /** When absent, `start` runs an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
  /** Admin login of the demo tenant, used only when the demo tenant is first seeded. */
  adminEmail: string;
  adminPassword: string;
  /** Session lifetime in seconds. */
  sessionTtlSeconds: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  dbPoolSize: number;
  /** Cookies are marked Secure when the public URL is https. */
  secureCookies: boolean;
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  return Object.freeze({
    databaseUrl,
    redisUrl,
    host: env.HOST || '127.0.0.1',
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    // npm runs workspace scripts inside the workspace; INIT_CWD is where the user typed `npm start`.
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), env.PEAKDESK_DATA_DIR || 'data'),
    logLevel: env.LOG_LEVEL || 'info',
    adminEmail: (env.PEAKDESK_ADMIN_EMAIL || 'admin@demo.peakdesk.local').toLowerCase(),
    adminPassword: env.PEAKDESK_ADMIN_PASSWORD || 'peakdesk-demo',
    sessionTtlSeconds: intFrom(env, 'PEAKDESK_SESSION_TTL', 12 * 3600, 60, 30 * 24 * 3600),
    bodyLimitBytes: intFrom(env, 'PEAKDESK_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    dbPoolSize: intFrom(env, 'PEAKDESK_DB_POOL', 20, 1, 500),
    secureCookies: env.PEAKDESK_SECURE_COOKIES === 'true',
  });
}
