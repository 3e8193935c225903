import type { ShopEvent } from '@peakdesk/commerce';
import { describe, expect, it } from 'vitest';
import {
  compareToSnapshot,
  dedupeKey,
  isStorableEvent,
  planEvents,
  timelineChanges,
  type KnownSnapshot,
} from './event-plan.ts';

const event = (patch: Partial<ShopEvent> = {}): ShopEvent => ({
  eventId: 'evt_1',
  type: 'shipment.updated',
  occurredAt: '2026-11-11T10:00:00.000Z',
  orderId: 'O1',
  orderNumber: 'DS1',
  orderVersion: 5,
  rawType: 'shipment.updated',
  raw: {},
  ...patch,
});

const snap = (orderId: string, orderNumber: string, version: number): KnownSnapshot => ({
  orderId,
  orderNumber,
  version,
});
const snapshots = (...list: KnownSnapshot[]) => ({
  byId: new Map(list.map((s) => [s.orderId, s])),
  byNumber: new Map(list.map((s) => [s.orderNumber, s])),
});

describe('dedupeKey', () => {
  it('keeps platform ids and hashes oversized ones to a bounded key', () => {
    expect(dedupeKey({ eventId: ' evt_abc ' })).toBe('evt_abc');
    const long = dedupeKey({ eventId: 'x'.repeat(500) });
    expect(long).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(dedupeKey({ eventId: 'x'.repeat(500) })).toBe(long);
  });
});

describe('isStorableEvent', () => {
  it.each([
    ['a normal event', event(), true],
    ['an empty id', event({ eventId: ' ' }), false],
    ['a NUL in the order number', event({ orderNumber: 'DS\u00001' }), false],
    ['a NUL in the tracking number', event({ shipment: { trackingNumber: 'SF\u0000' } }), false],
    ['a fractional version', event({ orderVersion: 1.5 }), false],
  ])('%s → %s', (_name, e, ok) => {
    expect(isStorableEvent(e)).toBe(ok);
  });
});

describe('compareToSnapshot (never backwards)', () => {
  it.each([
    [6, 5, 'newer'],
    [5, 5, 'same'],
    [4, 5, 'older'],
    [undefined, 5, 'unknown'],
    [5, undefined, 'unknown'],
  ] as const)('event %s vs snapshot %s → %s', (e, s, expected) => {
    expect(compareToSnapshot(e, s)).toBe(expected);
  });
});

describe('planEvents', () => {
  const tickets = new Map([['DS1', ['T1', 'T2']]]);

  it.each([
    {
      name: 'a duplicate does nothing',
      e: event(),
      isNew: false,
      snaps: snapshots(),
      want: { outcome: 'duplicate', ticketIds: [], refetch: false, markSnapshotStale: false },
    },
    {
      name: 'an order without tickets or snapshot is only recorded',
      e: event({ orderId: 'O9', orderNumber: 'DS9' }),
      isNew: true,
      snaps: snapshots(),
      want: { outcome: 'recorded', ticketIds: [], refetch: false, markSnapshotStale: false },
    },
    {
      name: 'an order without tickets but with an older snapshot marks it stale',
      e: event({ orderId: 'O9', orderNumber: 'DS9', orderVersion: 8 }),
      isNew: true,
      snaps: snapshots(snap('O9', 'DS9', 7)),
      want: { outcome: 'recorded', ticketIds: [], refetch: false, markSnapshotStale: true },
    },
    {
      name: 'an order with open tickets gets entries and a re-fetch',
      e: event(),
      isNew: true,
      snaps: snapshots(snap('O1', 'DS1', 4)),
      want: { outcome: 'applied', ticketIds: ['T1', 'T2'], refetch: true, markSnapshotStale: true },
    },
    {
      name: 'an event older than the snapshot changes nothing',
      e: event({ orderVersion: 3 }),
      isNew: true,
      snaps: snapshots(snap('O1', 'DS1', 4)),
      want: { outcome: 'stale', ticketIds: [], refetch: false, markSnapshotStale: false },
    },
    {
      name: 'an event the snapshot already shows gets its entry but no re-fetch',
      e: event({ orderVersion: 4 }),
      isNew: true,
      snaps: snapshots(snap('O1', 'DS1', 4)),
      want: { outcome: 'applied', ticketIds: ['T1', 'T2'], refetch: false, markSnapshotStale: false },
    },
    {
      name: 'reconciliation of a change the snapshot already shows writes nothing more',
      e: event({ orderVersion: 4, rawType: 'reconciliation' }),
      isNew: true,
      snaps: snapshots(snap('O1', 'DS1', 4)),
      want: { outcome: 'recorded', ticketIds: [], refetch: false, markSnapshotStale: false },
    },
    {
      name: 'reconciliation of a change a push missed applies it',
      e: event({ orderVersion: 6, rawType: 'reconciliation' }),
      isNew: true,
      snaps: snapshots(snap('O1', 'DS1', 4)),
      want: { outcome: 'applied', ticketIds: ['T1', 'T2'], refetch: true, markSnapshotStale: true },
    },
    {
      name: 'a thin event with only the order id finds its number through the snapshot',
      e: event({ orderNumber: undefined, orderVersion: undefined }),
      isNew: true,
      snaps: snapshots(snap('O1', 'DS1', 4)),
      want: {
        outcome: 'applied',
        orderNumber: 'DS1',
        ticketIds: ['T1', 'T2'],
        refetch: true,
        markSnapshotStale: true,
      },
    },
    {
      name: 'an unversioned event on a ticketed order without snapshot re-fetches it',
      e: event({ orderVersion: undefined }),
      isNew: true,
      snaps: snapshots(),
      want: { outcome: 'applied', ticketIds: ['T1', 'T2'], refetch: true, markSnapshotStale: false },
    },
  ])('$name', ({ e, isNew, snaps, want }) => {
    expect(planEvents([e], [isNew], snaps, tickets)[0]).toMatchObject(want);
  });

  it('plans one re-fetch per order in a batch, and an entry for each event', () => {
    const plans = planEvents(
      [
        event({ eventId: 'a', orderVersion: 6 }),
        event({ eventId: 'b', orderVersion: 7 }),
        event({ eventId: 'c', orderId: 'O2', orderNumber: 'DS2' }),
      ],
      [true, true, true],
      snapshots(snap('O1', 'DS1', 5)),
      tickets,
    );
    expect(plans.map((p) => [p.outcome, p.refetch])).toEqual([
      ['applied', true],
      ['applied', false],
      ['recorded', false],
    ]);
  });
});

describe('timelineChanges', () => {
  it('shows the event type, time, order and parcel hint', () => {
    const changes = timelineChanges(
      event({ shipment: { carrierCode: 'sf', trackingNumber: 'SF1', status: 'delivered' } }),
      'DS1',
    );
    expect(changes).toEqual([
      {
        field: 'order',
        before: null,
        after: {
          event: 'shipment.updated',
          rawType: 'shipment.updated',
          eventId: 'evt_1',
          occurredAt: '2026-11-11T10:00:00.000Z',
          orderNumber: 'DS1',
          orderVersion: 5,
          shipment: { carrierCode: 'sf', trackingNumber: 'SF1', status: 'delivered' },
        },
      },
    ]);
  });
});
