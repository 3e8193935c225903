import type { Order } from '@peakdesk/commerce';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, testDb, type TestTenant } from '../../../test/helpers.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { SecretBox, SecretBoxError } from '../../lib/secret-box.ts';
import { adapterFor, isKnownAdapterKind, UnknownAdapterKindError } from './adapter-registry.ts';
import {
  findSnapshot,
  listCustomerSnapshots,
  markSnapshotStale,
  upsertSnapshot,
} from './order-snapshot.repository.ts';
import {
  findConnection,
  findDefaultConnectionId,
  insertConnection,
  listConnections,
  openSecrets,
  sealCredentials,
  sealWebhookSecret,
  updateConnection,
} from './shop-connection.repository.ts';

const box = new SecretBox(Buffer.alloc(32, 7));
const NOW = new Date('2026-11-11T08:00:00.000Z');
let tenant: TestTenant;
let other: TestTenant;

async function connect(t: TestTenant, name: string, isDefault = false) {
  const id = uuidv7();
  return testDb()
    .transaction()
    .execute((tx) =>
      insertConnection(
        tx,
        {
          tenantId: t.id,
          id,
          kind: 'demo-shop',
          name,
          baseUrl: 'http://127.0.0.1:3100',
          credentials: sealCredentials(box, t.id, id, { apiKey: `key-of-${name}` }),
          webhookSecret: sealWebhookSecret(box, t.id, id, `hook-of-${name}`),
          settings: { cacheTtlSeconds: 30 },
          isDefault,
        },
        NOW,
      ),
    );
}

function order(overrides: Partial<Order> = {}): Order {
  const money = { amountMinor: 19900, currency: 'CNY' };
  return {
    externalId: 'o-1',
    orderNumber: 'DS2026111100001',
    status: 'paid',
    rawStatus: 'PAID',
    currency: 'CNY',
    createdAt: '2026-11-11T00:00:00.000Z',
    updatedAt: '2026-11-11T00:10:00.000Z',
    customer: { externalId: 'M1', displayName: '王小明' },
    lines: [],
    totals: { subtotal: money, discount: money, shipping: money, total: money, paid: money, refunded: money },
    payments: [],
    shipments: [],
    afterSales: [],
    couponCodes: [],
    version: 3,
    ...overrides,
  };
}

beforeAll(async () => {
  tenant = await createTestTenant('Shops storage');
  other = await createTestTenant('Shops storage, other tenant');
});

describe('shop connections', () => {
  it('stores credentials sealed and opens them only with the right key and row', async () => {
    const created = await connect(tenant, 'Main shop');
    const raw = await findConnection(testDb(), tenant.id, created.id);
    expect(raw!.credentials).not.toContain('key-of-Main shop');
    expect(raw!.webhookSecret).not.toContain('hook-of');
    expect(openSecrets(box, raw!)).toEqual({
      credentials: { apiKey: 'key-of-Main shop' },
      webhookSecret: 'hook-of-Main shop',
    });
    // A sealed value copied into another connection's row does not open there.
    const second = await connect(tenant, 'Second shop');
    expect(() => openSecrets(box, { ...second, credentials: raw!.credentials })).toThrow(SecretBoxError);
    expect(() => openSecrets(new SecretBox(Buffer.alloc(32, 8)), raw!)).toThrow(SecretBoxError);
  });

  it('keeps one default per tenant and never finds another tenant’s connections', async () => {
    const t = await createTestTenant('Defaults');
    expect(await findDefaultConnectionId(testDb(), t.id)).toBeNull();
    const first = await connect(t, 'First');
    expect(await findDefaultConnectionId(testDb(), t.id)).toBe(first.id);
    const second = await connect(t, 'Second', true);
    expect(await findDefaultConnectionId(testDb(), t.id)).toBe(second.id);
    await testDb()
      .transaction()
      .execute((tx) => updateConnection(tx, t.id, first.id, { isDefault: true }, NOW));
    expect(await findDefaultConnectionId(testDb(), t.id)).toBe(first.id);
    await updateConnection(testDb(), t.id, first.id, { status: 'disabled' }, NOW);
    expect(await findDefaultConnectionId(testDb(), t.id)).toBe(second.id);
    expect((await listConnections(testDb(), t.id)).map((c) => c.name)).toEqual(['First', 'Second']);
    expect(await findConnection(testDb(), other.id, first.id)).toBeUndefined();
    expect(await updateConnection(testDb(), other.id, first.id, { name: 'x' }, NOW)).toBeUndefined();
  });

  it('makes a demo-shop adapter from a connection and refuses unknown kinds', async () => {
    const created = await connect(tenant, 'Adapter shop');
    const adapter = adapterFor(created, openSecrets(box, created));
    expect(adapter.platform).toBe('demo-shop');
    expect(isKnownAdapterKind('demo-shop')).toBe(true);
    expect(() => adapterFor({ ...created, kind: 'no-such-shop' }, openSecrets(box, created))).toThrow(
      UnknownAdapterKindError,
    );
  });
});

describe('order snapshots', () => {
  it('never moves an order backwards, whichever fetch is stored last', async () => {
    const c = await connect(tenant, 'Snapshots');
    const db = testDb();
    expect(await upsertSnapshot(db, tenant.id, c.id, order({ version: 3 }), NOW)).toBe('inserted');
    const shipped = order({ version: 5, status: 'shipped', updatedAt: '2026-11-11T05:00:00.000Z' });
    expect(await upsertSnapshot(db, tenant.id, c.id, shipped, NOW)).toBe('updated');
    // A slow fetch that started before the shipment answers last: it is ignored.
    expect(await upsertSnapshot(db, tenant.id, c.id, order({ version: 4 }), NOW)).toBe('ignored');
    const stored = await findSnapshot(db, tenant.id, c.id, { orderNumber: 'DS2026111100001' });
    expect(stored).toMatchObject({ version: 5, isStale: false, orderId: 'o-1', customerExternalId: 'M1' });
    expect(stored!.order.status).toBe('shipped');
    // The same version again refreshes the fetch time.
    const later = new Date(NOW.getTime() + 60_000);
    expect(await upsertSnapshot(db, tenant.id, c.id, shipped, later)).toBe('updated');
    expect((await findSnapshot(db, tenant.id, c.id, { orderId: 'o-1' }))!.fetchedAt).toEqual(later);
  });

  it('marks a snapshot stale only for a newer version, and a fresh fetch clears it', async () => {
    const c = await connect(tenant, 'Stale marks');
    const db = testDb();
    await upsertSnapshot(db, tenant.id, c.id, order({ version: 5 }), NOW);
    expect(await markSnapshotStale(db, tenant.id, c.id, { orderId: 'o-1' }, NOW, 5)).toBe(0);
    expect(await markSnapshotStale(db, tenant.id, c.id, { orderId: 'missing' }, NOW)).toBe(0);
    expect(await markSnapshotStale(db, tenant.id, c.id, { orderNumber: 'DS2026111100001' }, NOW, 6)).toBe(1);
    expect((await findSnapshot(db, tenant.id, c.id, { orderId: 'o-1' }))!.isStale).toBe(true);
    await upsertSnapshot(db, tenant.id, c.id, order({ version: 6 }), NOW);
    expect((await findSnapshot(db, tenant.id, c.id, { orderId: 'o-1' }))!.isStale).toBe(false);
  });

  it('lists a customer’s orders newest first, within the tenant and connection', async () => {
    const c = await connect(tenant, 'Customer orders');
    const db = testDb();
    await upsertSnapshot(db, tenant.id, c.id, order({ externalId: 'a', orderNumber: 'A' }), NOW);
    await upsertSnapshot(
      db,
      tenant.id,
      c.id,
      order({ externalId: 'b', orderNumber: 'B', updatedAt: '2026-11-11T09:00:00.000Z' }),
      NOW,
    );
    const listed = await listCustomerSnapshots(db, tenant.id, c.id, 'M1', 10);
    expect(listed.map((s) => s.orderNumber)).toEqual(['B', 'A']);
    expect(await listCustomerSnapshots(db, other.id, c.id, 'M1', 10)).toEqual([]);
    expect(await findSnapshot(db, other.id, c.id, { orderId: 'a' })).toBeUndefined();
  });
});
