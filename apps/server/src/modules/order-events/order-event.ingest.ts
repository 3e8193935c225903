import { availableParallelism } from 'node:os';
import type { ShopEvent } from '@peakdesk/commerce';
import type { Db } from '../../db/database.ts';
import { GroupCommitter, type GroupCommitOptions } from '../intake/group-commit.ts';
import { isItemError } from '../intake/intake.service.ts';
import {
  dedupeKey,
  ORDER_EVENT_ACTION,
  planEvents,
  timelineChanges,
  type EventOutcome,
  type EventPlan,
  type KnownSnapshot,
} from './event-plan.ts';
import {
  enqueueRefetchJobs,
  insertTimelineEntries,
  markSnapshotsStale,
  probeBatch,
  type TimelineEntry,
} from './order-event.repository.ts';

export const REFETCH_TASK = 'shops.refetch-order';
const REFETCH_MAX_ATTEMPTS = 12;

export interface IngestItem {
  tenantId: string;
  connectionId: string;
  event: ShopEvent;
}

export interface RefetchPayload {
  tenantId: string;
  connectionId: string;
  orderId?: string;
  orderNumber?: string;
}

/** One job per order and connection while pending: a burst of events on one order fetches it once. */
export function refetchJobKey(p: RefetchPayload): string {
  return `${REFETCH_TASK}:${p.tenantId}:${p.connectionId}:${p.orderId ?? `#${p.orderNumber ?? ''}`}`;
}

/**
 * Writes verified events in batches: one transaction per batch, whatever mix of tenants, connections and
 * orders it holds. Per (tenant, connection) group: one statement inserts the event ids (duplicates drop out
 * by the primary key) and probes snapshots and open tickets (probeBatch); only for events on orders with open
 * tickets come timeline entries, stale marks and durable re-fetch jobs, all in the same transaction as the
 * ids, so an acknowledged event never loses its effects and a retried one never doubles them.
 */
export async function ingestBatch(
  db: Db,
  items: readonly IngestItem[],
  now: Date,
): Promise<{ outcomes: EventOutcome[]; plans: EventPlan[] }> {
  const groups = new Map<string, number[]>();
  items.forEach((item, i) => {
    const key = `${item.tenantId}/${item.connectionId}`;
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  const plans = new Array<EventPlan>(items.length);
  const refetches: { payload: RefetchPayload; jobKey: string }[] = [];
  await db.transaction().execute(async (tx) => {
    for (const indexes of groups.values()) {
      const { tenantId, connectionId } = items[indexes[0]!]!;
      const events = indexes.map((i) => items[i]!.event);
      const keys = events.map(dedupeKey);
      const probe = await probeBatch(
        tx,
        tenantId,
        connectionId,
        {
          eventIds: [...new Set(keys)],
          orderIds: uniq(events.map((e) => e.orderId)),
          orderNumbers: uniq(events.map((e) => e.orderNumber)),
        },
        now,
      );
      // The first delivery of an id inside this batch is the new one; any other copy is a duplicate.
      const taken = new Set<string>();
      const isNew = keys.map((key) => {
        const first = probe.inserted.has(key) && !taken.has(key);
        taken.add(key);
        return first;
      });
      const byId = new Map<string, KnownSnapshot>(probe.snapshots.map((s) => [s.orderId, s]));
      const byNumber = new Map<string, KnownSnapshot>(probe.snapshots.map((s) => [s.orderNumber, s]));
      const open = probe.openTickets;
      const groupPlans = planEvents(events, isNew, { byId, byNumber }, open);

      const entries: TimelineEntry[] = [];
      const stale: string[] = [];
      for (const [n, plan] of groupPlans.entries()) {
        plans[indexes[n]!] = plan;
        for (const ticketId of plan.ticketIds) {
          entries.push({
            ticketId,
            action: ORDER_EVENT_ACTION,
            changes: timelineChanges(events[n]!, plan.orderNumber),
          });
        }
        if (plan.markSnapshotStale && plan.orderId !== undefined) stale.push(plan.orderId);
        if (plan.refetch) {
          const payload: RefetchPayload = {
            tenantId,
            connectionId,
            ...(plan.orderId !== undefined ? { orderId: plan.orderId } : {}),
            ...(plan.orderNumber !== undefined ? { orderNumber: plan.orderNumber } : {}),
          };
          refetches.push({ payload, jobKey: refetchJobKey(payload) });
        }
      }
      await insertTimelineEntries(tx, tenantId, entries, now);
      await markSnapshotsStale(tx, tenantId, connectionId, uniq(stale), now);
    }
    // One statement for the batch's re-fetch jobs (was one add_job per order), in the same transaction.
    await enqueueRefetchJobs(tx, REFETCH_TASK, refetches, REFETCH_MAX_ATTEMPTS);
  });
  return { outcomes: plans.map((p) => p.outcome), plans };
}

function uniq(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

export type EventIngestOptions = Pick<
  GroupCommitOptions<unknown, unknown>,
  'maxBatchSize' | 'maxConcurrentCommits' | 'maxQueued' | 'maxWaitMs'
>;

/**
 * At most as many concurrent commits as CPU cores (2 here, was 3): a batch's cost is mostly per transaction
 * (BEGIN, the probe, COMMIT and its WAL flush), so fewer, larger batches cost less per event; more flushers
 * than cores only split the same deliveries into smaller batches.
 */
export const DEFAULT_INGEST_OPTIONS: EventIngestOptions = {
  maxBatchSize: 500,
  maxConcurrentCommits: Math.max(1, Math.min(3, availableParallelism())),
  maxQueued: 20_000,
  maxWaitMs: 3000,
};

/**
 * Group commit for webhooks (as intake does for tickets): concurrent deliveries share a transaction, and
 * each is answered only after the transaction holding it committed. `afterCommit` sees the plans (cache
 * invalidation for orders that changed).
 */
export class OrderEventIngest {
  readonly committer: GroupCommitter<IngestItem, EventPlan>;

  constructor(
    private readonly deps: {
      db: Db;
      now: () => Date;
      afterCommit?: (items: readonly IngestItem[], plans: readonly EventPlan[]) => void;
    },
    options: EventIngestOptions = DEFAULT_INGEST_OPTIONS,
  ) {
    this.committer = new GroupCommitter<IngestItem, EventPlan>({
      ...options,
      isItemError,
      commit: async (batch) => {
        const { plans } = await ingestBatch(this.deps.db, batch, this.deps.now());
        this.deps.afterCommit?.(batch, plans);
        return plans;
      },
    });
  }

  submit(item: IngestItem): Promise<EventPlan> {
    return this.committer.submit(item);
  }
}
