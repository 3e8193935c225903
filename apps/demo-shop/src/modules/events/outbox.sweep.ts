import type pg from 'pg';
import { claimDue, markDelivered, scheduleRetry, type OutboxRow } from './outbox.repository.ts';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  signPayload,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './signature.ts';

export interface DeliveryOptions {
  webhookUrl: string | undefined;
  secret: string;
  timeoutMs: number;
  backoffMs: number;
  duplicateRate: number;
  batchSize?: number;
  random?: () => number;
  now?: () => Date;
}

const MAX_BACKOFF_MS = 10 * 60_000;
/** Attempts after which an event is parked (kept, with its last error) instead of retried. */
export const MAX_ATTEMPTS = 20;

/** Exponential backoff with ±20 % jitter so that a recovering receiver is not hit by every retry at once. */
export function backoffDelay(attempts: number, baseMs: number, random: () => number): number {
  const raw = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export interface SweepResult {
  claimed: number;
  delivered: number;
  failed: number;
  duplicates: number;
}

/**
 * One pass of the outbox: claim due events, POST them concurrently (so they arrive in no particular order),
 * mark what the receiver acknowledged with a 2xx, and reschedule the rest with backoff. Delivery is at least
 * once: some events are deliberately sent twice (`duplicateRate`), as real platforms do.
 */
export async function sweepOutbox(pool: pg.Pool, options: DeliveryOptions): Promise<SweepResult> {
  const result: SweepResult = { claimed: 0, delivered: 0, failed: 0, duplicates: 0 };
  if (!options.webhookUrl) return result;
  const random = options.random ?? Math.random;
  const rows = await claimDue(pool, options.batchSize ?? 200, options.timeoutMs * 2 + 1000);
  result.claimed = rows.length;
  const delivered: number[] = [];
  await Promise.all(
    rows.map(async (row) => {
      try {
        await post(row, options);
        delivered.push(row.id);
        if (random() < options.duplicateRate) {
          result.duplicates++;
          await post(row, options).catch(() => undefined);
        }
      } catch (error) {
        result.failed++;
        const delay =
          row.attempts >= MAX_ATTEMPTS
            ? 365 * 24 * 3_600_000
            : backoffDelay(row.attempts, options.backoffMs, random);
        await scheduleRetry(pool, row.id, delay, (error as Error).message);
      }
    }),
  );
  await markDelivered(pool, delivered);
  result.delivered = delivered.length;
  return result;
}

async function post(row: OutboxRow, options: DeliveryOptions): Promise<void> {
  const body = JSON.stringify(row.payload);
  const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
  const response = await fetch(options.webhookUrl!, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signPayload(options.secret, timestamp, body),
      [TIMESTAMP_HEADER]: String(timestamp),
      [EVENT_ID_HEADER]: row.eventId,
      [EVENT_TYPE_HEADER]: row.type,
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`receiver answered ${response.status}`);
}

/** Runs the sweep every `intervalMs` until stopped; never two passes at once in this process. */
export function startOutboxLoop(
  pool: pg.Pool,
  options: DeliveryOptions,
  intervalMs: number,
  log: (m: string) => void,
) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      // Keep sweeping without pause while there is a backlog (a surge), else wait for the interval.
      let result: SweepResult;
      do result = await sweepOutbox(pool, options);
      while (!stopped && result.claimed > 0 && result.failed === 0);
    } catch (error) {
      log(`outbox sweep failed: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs);
  };
  timer = setTimeout(() => void tick(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
