import { availableParallelism } from 'node:os';
import { ConfigError } from '../../config.ts';

/** Tuning of intake, from the environment (parsed once at start; tests pass their own). */
export interface IntakeConfig {
  /** Largest group-commit batch (items per transaction). */
  maxBatchSize: number;
  /** Group-commit transactions at once; keep below the pool size so other routes still get a connection. */
  maxConcurrentCommits: number;
  /** Items waiting for a transaction beyond which intake answers 503 OVERLOADED. */
  maxQueued: number;
  /** An item that waited longer than this (ms) for its transaction is refused (503) instead of written. */
  maxWaitMs: number;
  /** Requests one process works on at once, all routes together (admission control). */
  maxInFlight: number;
  /** Intake requests per token per window; 0 turns the limit off. */
  rateLimit: number;
  rateWindowSeconds: number;
  /** Idempotency keys are kept at least this long (ms). */
  keyRetentionMs: number;
  /** Completed follow-up jobs (with their results) are kept this long (ms), then deleted. */
  doneJobRetentionMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadIntakeConfig(env: NodeJS.ProcessEnv = process.env, poolSize = 20): IntakeConfig {
  return Object.freeze({
    maxBatchSize: int(env, 'PEAKDESK_INTAKE_BATCH', 256, 1, 1000),
    // Leave a few connections for reads, logins and sweeps; no more transactions at once than cores: more
    // only makes smaller batches, which cost more per ticket (bench:intake-cost on 2 cores at 64 connections:
    // 4 commits made 9 tickets a batch and 0.79 + 0.54 ms Node + PostgreSQL CPU a ticket, 2 made 19 and
    // 0.62 + 0.34 ms).
    maxConcurrentCommits: int(
      env,
      'PEAKDESK_INTAKE_COMMITS',
      Math.max(1, Math.min(4, poolSize - 4, availableParallelism())),
      1,
      100,
    ),
    maxQueued: int(env, 'PEAKDESK_INTAKE_QUEUE', 5000, 1, 1_000_000),
    maxWaitMs: int(env, 'PEAKDESK_INTAKE_MAX_WAIT_MS', 3000, 10, 600_000),
    maxInFlight: int(env, 'PEAKDESK_MAX_IN_FLIGHT', 4096, 1, 1_000_000),
    rateLimit: int(env, 'PEAKDESK_INTAKE_RATE_LIMIT', 60_000, 0, 100_000_000),
    rateWindowSeconds: int(env, 'PEAKDESK_INTAKE_RATE_WINDOW', 60, 1, 86_400),
    keyRetentionMs: int(env, 'PEAKDESK_IDEMPOTENCY_TTL_HOURS', 24, 24, 24 * 90) * 3_600_000,
    doneJobRetentionMs: int(env, 'PEAKDESK_OUTBOX_RETENTION_HOURS', 168, 1, 24 * 365) * 3_600_000,
  });
}
