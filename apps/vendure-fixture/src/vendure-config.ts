import { DefaultLogger, dummyPaymentHandler, LogLevel, type VendureConfig } from '@vendure/core';
// Vendure's default job queue, which its index does not export; deep imports are allowed (no `exports` map).
import { InMemoryJobQueueStrategy } from '@vendure/core/dist/job-queue/in-memory-job-queue-strategy.js';
import {
  PeakDeskWebhookPlugin,
  WEBHOOK_QUEUE,
  type PeakDeskWebhookOptions,
} from './peakdesk-webhook.plugin.ts';

export interface FixtureConfigOptions {
  port: number;
  superadmin: { identifier: string; password: string };
  webhook?: PeakDeskWebhookOptions;
  logLevel?: LogLevel;
}

/**
 * A Vendure server as small as a test can have it: sql.js in memory (no native build, a fresh database per
 * start), bearer tokens and API keys, the dummy payment handler, jobs in memory, loopback only.
 */
export function buildVendureConfig(options: FixtureConfigOptions): VendureConfig {
  return {
    apiOptions: {
      port: options.port,
      hostname: '127.0.0.1',
      adminApiPath: 'admin-api',
      shopApiPath: 'shop-api',
      cors: false,
    },
    authOptions: {
      tokenMethod: ['bearer', 'api-key'],
      superadminCredentials: options.superadmin,
      requireVerification: false,
    },
    dbConnectionOptions: { type: 'sqljs', synchronize: true, logging: false },
    paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
    // Webhook deliveries are jobs. The default (one job per 200 ms poll) cannot keep up with the seed's few
    // hundred history entries, so the webhook queue takes ten at a time every 50 ms, backing off up to 10 s.
    // Every other queue (collection filters after the import) stays at one: sql.js has a single connection,
    // and concurrent transactions on it corrupt its savepoints and hold back every later event.
    jobQueueOptions: {
      jobQueueStrategy: new InMemoryJobQueueStrategy({
        concurrency: (queue) => (queue === WEBHOOK_QUEUE ? 10 : 1),
        pollInterval: (queue) => (queue === WEBHOOK_QUEUE ? 50 : 200),
        backoffStrategy: (_queue, attemptsMade) => Math.min(250 * 2 ** attemptsMade, 10_000),
      }),
    },
    logger: new DefaultLogger({ level: options.logLevel ?? LogLevel.Warn }),
    plugins: options.webhook ? [PeakDeskWebhookPlugin.init(options.webhook)] : [],
  };
}
