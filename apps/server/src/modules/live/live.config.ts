import { ConfigError } from '../../config.ts';

/** Bounds of the live streams of one process, from the environment (tests pass their own). */
export interface LiveConfig {
  /** Open streams per process; more are refused with 503 OVERLOADED (the client retries elsewhere/later). */
  maxStreams: number;
  /** Open streams per user (or token) per process: a few tabs, not a leak. */
  maxStreamsPerUser: number;
  /** Comment lines that keep proxies and the browser from dropping an idle stream (ms). */
  heartbeatMs: number;
  /** A stream ends after this long (ms) and the client reconnects, authenticating again. */
  maxLifetimeMs: number;
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

export function loadLiveConfig(env: NodeJS.ProcessEnv = process.env): LiveConfig {
  return Object.freeze({
    maxStreams: int(env, 'PEAKDESK_LIVE_STREAMS', 5000, 1, 1_000_000),
    maxStreamsPerUser: int(env, 'PEAKDESK_LIVE_PER_USER', 8, 1, 1000),
    heartbeatMs: 20_000,
    maxLifetimeMs: 10 * 60_000,
  });
}
