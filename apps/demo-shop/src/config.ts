import { assertSchemaName } from './db/schema.ts';

/** Everything the demo shop reads from the environment, parsed once. */
export interface ShopConfig {
  databaseUrl: string;
  schema: string;
  port: number;
  apiKey: string;
  webhookUrl: string | undefined;
  webhookSecret: string;
  /** Answer with masked names, phones and streets, as Taobao, JD and Douyin do. */
  piiMasked: boolean;
  seed: number;
  seedOrders: number;
  /** Share of delivered events sent a second time, to exercise consumers' de-duplication. */
  duplicateRate: number;
  outboxIntervalMs: number;
  /** First retry delay; doubles per attempt up to ten minutes. */
  outboxBackoffMs: number;
  webhookTimeoutMs: number;
  /** How long a chaos "timeout" holds a request before dropping the connection. */
  chaosHangMs: number;
}

export class ConfigError extends Error {}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadShopConfig(env: NodeJS.ProcessEnv = process.env): ShopConfig {
  const databaseUrl =
    env.DEMO_SHOP_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DEMO_SHOP_DATABASE_URL must start with postgres:// or postgresql://');
  }
  const webhookUrl = env.DEMO_SHOP_WEBHOOK_URL || undefined;
  if (webhookUrl && !/^https?:\/\//.test(webhookUrl)) {
    throw new ConfigError('DEMO_SHOP_WEBHOOK_URL must be an http(s) URL');
  }
  let schema: string;
  try {
    schema = assertSchemaName(env.DEMO_SHOP_SCHEMA || 'demo_shop');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    databaseUrl,
    schema,
    port: num(env, 'PORT', 3100, 0, 65535),
    apiKey: env.DEMO_SHOP_API_KEY || 'demo-shop-dev-key',
    webhookUrl,
    webhookSecret: env.DEMO_SHOP_WEBHOOK_SECRET || 'demo-shop-dev-webhook-secret',
    piiMasked: env.DEMO_SHOP_PII_MASKED === 'true',
    seed: Math.floor(num(env, 'DEMO_SHOP_SEED', 1111, 0, 2 ** 32 - 1)),
    seedOrders: Math.floor(num(env, 'DEMO_SHOP_ORDERS', 10_000, 1, 1_000_000)),
    duplicateRate: num(env, 'DEMO_SHOP_DUPLICATE_RATE', 0.02, 0, 1),
    outboxIntervalMs: num(env, 'DEMO_SHOP_OUTBOX_INTERVAL_MS', 500, 10, 60_000),
    outboxBackoffMs: num(env, 'DEMO_SHOP_OUTBOX_BACKOFF_MS', 1000, 0, 600_000),
    webhookTimeoutMs: num(env, 'DEMO_SHOP_WEBHOOK_TIMEOUT_MS', 5000, 100, 60_000),
    chaosHangMs: num(env, 'DEMO_SHOP_CHAOS_HANG_MS', 30_000, 0, 600_000),
  };
}
