import { createHash } from 'node:crypto';
import type { ShopEvent } from '@peakdesk/commerce';
import type { FieldChange } from '../../db/tables.ts';

/**
 * The pure core of order-event ingestion: what one batch of verified shop events does, given what PeakDesk
 * already knows (order snapshots, open tickets). No I/O and no clock: the caller loads the state in a few
 * indexed queries, asks `planEvents`, and writes the plan in the batch's transaction.
 *
 * Events are hints (at least once, any order, often thin): a duplicate is dropped by its event id, an event
 * older than the snapshot PeakDesk holds changes nothing (the order never moves backwards), and the truth is
 * re-fetched from the shop — but only for orders someone is waiting on (an open ticket). Every other event
 * costs the insert of its id and one indexed existence check.
 */

/** Event ids are the platform's (Shopify's X-Shopify-Webhook-Id, the demo shop's evt_…); long ones hashed. */
export function dedupeKey(event: Pick<ShopEvent, 'eventId'>): string {
  const id = event.eventId.trim();
  return id.length <= 200 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/**
 * Whether PostgreSQL can store what we keep of an event: text and jsonb refuse NUL characters, and an id must
 * not be empty. Checked at the door (400), so one bad event cannot fail its batch.
 */
export function isStorableEvent(event: ShopEvent): boolean {
  const texts = [
    event.eventId,
    event.orderId,
    event.orderNumber,
    event.rawType,
    event.occurredAt,
    event.shipment?.shipmentId,
    event.shipment?.carrierCode,
    event.shipment?.trackingNumber,
    event.shipment?.rawStatus,
  ];
  return (
    typeof event.eventId === 'string' &&
    event.eventId.trim() !== '' &&
    texts.every((t) => t === undefined || (typeof t === 'string' && !t.includes('\u0000'))) &&
    (event.orderVersion === undefined || Number.isSafeInteger(event.orderVersion))
  );
}

export type VersionOrder = 'newer' | 'same' | 'older' | 'unknown';

/**
 * How an event's order version compares with the snapshot's. `unknown` when either side has none (an
 * unversioned event, or no snapshot yet): such an event can only ask for a re-fetch, which the snapshot
 * upsert itself keeps from going backwards.
 */
export function compareToSnapshot(
  eventVersion: number | undefined,
  snapshotVersion: number | undefined,
): VersionOrder {
  if (eventVersion === undefined || snapshotVersion === undefined) return 'unknown';
  if (eventVersion > snapshotVersion) return 'newer';
  return eventVersion === snapshotVersion ? 'same' : 'older';
}

export interface KnownSnapshot {
  orderId: string;
  orderNumber: string;
  version: number;
}

/** Open tickets about one order, by its number (the number customers quote, tickets.order_number). */
export type OpenTicketsByNumber = ReadonlyMap<string, readonly string[]>;

export type EventOutcome =
  /** Seen before (same event id): nothing happens. */
  | 'duplicate'
  /** Older than the snapshot PeakDesk holds: recorded, nothing else changes. */
  | 'stale'
  /** No open ticket is about the order: recorded (and a held snapshot marked stale when older). */
  | 'recorded'
  /** Timeline entries on the order's open tickets, and the order re-fetched. */
  | 'applied';

export interface EventPlan {
  outcome: EventOutcome;
  orderId: string | undefined;
  orderNumber: string | undefined;
  /** Tickets that get a timeline entry. */
  ticketIds: readonly string[];
  /** Re-fetch the order from the shop (durable job, one per order). */
  refetch: boolean;
  /** The held snapshot is older than this event: mark it stale so the next reader re-fetches. */
  markSnapshotStale: boolean;
}

/** Snapshot of an event's order, by id first (numbers can repeat across years on some platforms). */
export function snapshotOf(
  event: Pick<ShopEvent, 'orderId' | 'orderNumber'>,
  byId: ReadonlyMap<string, KnownSnapshot>,
  byNumber: ReadonlyMap<string, KnownSnapshot>,
): KnownSnapshot | undefined {
  return (
    (event.orderId !== undefined ? byId.get(event.orderId) : undefined) ??
    (event.orderNumber !== undefined ? byNumber.get(event.orderNumber) : undefined)
  );
}

/**
 * Plans each event of a batch. `isNew[i]` says whether event i's id was inserted just now (false: a
 * duplicate). Events about one order in one batch each get their entry, but at most one re-fetch is planned
 * per order (the first); the job itself is keyed per order as well.
 */
export function planEvents(
  events: readonly ShopEvent[],
  isNew: readonly boolean[],
  snapshots: { byId: ReadonlyMap<string, KnownSnapshot>; byNumber: ReadonlyMap<string, KnownSnapshot> },
  openTickets: OpenTicketsByNumber,
): EventPlan[] {
  const refetching = new Set<string>();
  return events.map((event, i) => {
    const snapshot = snapshotOf(event, snapshots.byId, snapshots.byNumber);
    const orderId = event.orderId ?? snapshot?.orderId;
    const orderNumber = event.orderNumber ?? snapshot?.orderNumber;
    const none = { orderId, orderNumber, ticketIds: [], refetch: false, markSnapshotStale: false };
    if (!isNew[i]) return { ...none, outcome: 'duplicate' };
    const order = compareToSnapshot(event.orderVersion, snapshot?.version);
    if (order === 'older') return { ...none, outcome: 'stale' };
    // Reconciliation reports every change once more; a change the snapshot already shows was pushed and
    // applied before, so it is not written twice.
    if (order === 'same' && event.rawType === RECONCILIATION_RAW_TYPE)
      return { ...none, outcome: 'recorded' };
    const ticketIds = orderNumber !== undefined ? (openTickets.get(orderNumber) ?? []) : [];
    const markSnapshotStale = snapshot !== undefined && order !== 'same';
    if (ticketIds.length === 0) return { ...none, outcome: 'recorded', markSnapshotStale };
    const ref = orderId ?? `#${orderNumber}`;
    // `same`: the snapshot already shows this change, so the entry is written but nothing is fetched.
    const refetch = order !== 'same' && !refetching.has(ref);
    if (refetch) refetching.add(ref);
    return { outcome: 'applied', orderId, orderNumber, ticketIds, refetch, markSnapshotStale };
  });
}

/** `rawType` of the events reconciliation makes from `listChangedOrders` (they take the same path). */
export const RECONCILIATION_RAW_TYPE = 'reconciliation';

/** The history action of an order event on a ticket's timeline. */
export const ORDER_EVENT_ACTION = 'order.event';

/** What the timeline shows: the normalised type, when it happened in the shop, and the parcel hint. */
export function timelineChanges(event: ShopEvent, orderNumber: string | undefined): FieldChange[] {
  return [
    {
      field: 'order',
      before: null,
      after: {
        event: event.type,
        rawType: event.rawType,
        eventId: event.eventId,
        occurredAt: event.occurredAt,
        ...(orderNumber !== undefined ? { orderNumber } : {}),
        ...(event.orderVersion !== undefined ? { orderVersion: event.orderVersion } : {}),
        ...(event.shipment ? { shipment: event.shipment } : {}),
      },
    },
  ];
}
