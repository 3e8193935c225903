import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestTenant, testDb } from '../../../test/helpers.ts';
import { findOrCreateCustomers } from './customer-identity.batch.ts';
import { findOrCreateCustomer, type CustomerContact } from './customer-identity.ts';

/** Which items share a customer, as a list of groups of item indexes (independent of the ids). */
function partition(ids: (string | null)[]): number[][] {
  const groups = new Map<string, number[]>();
  ids.forEach((id, index) => {
    if (id === null) return;
    groups.set(id, [...(groups.get(id) ?? []), index]);
  });
  return [...groups.values()];
}

async function customerCount(tenantId: string): Promise<number> {
  const row = await testDb()
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenantId', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function lockWaiters(): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(testDb());
  return result.rows[0]!.n;
}

const CONTACTS: CustomerContact[] = [
  { email: 'li@example.com', name: 'Li' },
  { phone: '+86 138 0000 0001' },
  { email: 'LI@example.com', phone: '13800000002' },
  { phone: '13800000002' },
  { platform: 'taobao', externalId: 'tb_1', email: 'wang@example.com' },
  { email: 'wang@example.com' },
  { name: 'nobody' },
  { platform: 'taobao', externalId: 'tb_2', phone: '138 0000 0001' },
  { email: 'known@example.com' },
];

describe('findOrCreateCustomers', () => {
  it('decides like findOrCreateCustomer called item by item, with existing customers too', async () => {
    const [one, batch] = [await createTestTenant(), await createTestTenant()];
    for (const tenant of [one, batch]) {
      await testDb()
        .transaction()
        .execute((tx) =>
          findOrCreateCustomer(tx, tenant.id, { email: 'known@example.com', phone: '13800000001' }),
        );
    }
    const sequential: ({ id: string; created: boolean } | null)[] = [];
    await testDb()
      .transaction()
      .execute(async (tx) => {
        for (const contact of CONTACTS) sequential.push(await findOrCreateCustomer(tx, one.id, contact));
      });
    const batched = await testDb()
      .transaction()
      .execute((tx) => findOrCreateCustomers(tx, batch.id, CONTACTS));

    expect(partition(batched.map((c) => c?.id ?? null))).toEqual(
      partition(sequential.map((c) => c?.id ?? null)),
    );
    expect(batched.map((c) => c?.created ?? null)).toEqual(sequential.map((c) => c?.created ?? null));
    expect(await customerCount(batch.id)).toBe(await customerCount(one.id));
  });

  it('makes one customer per person when concurrent batches name the same new people', async () => {
    const tenant = await createTestTenant();
    const people = Array.from({ length: 30 }, (_, i) => ({ email: `p${i}@example.com` }));
    const runs = await Promise.all(
      [0, 1, 2, 3].map((shift) =>
        testDb()
          .transaction()
          .execute((tx) =>
            findOrCreateCustomers(tx, tenant.id, [...people.slice(shift * 5), ...people.slice(0, shift * 5)]),
          ),
      ),
    );
    const byEmail = new Map<string, Set<string>>();
    runs.forEach((run, shift) => {
      const order = [...people.slice(shift * 5), ...people.slice(0, shift * 5)];
      run.forEach((found, i) => {
        const ids = byEmail.get(order[i]!.email) ?? new Set();
        ids.add(found!.id);
        byEmail.set(order[i]!.email, ids);
      });
    });
    expect([...byEmail.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(await customerCount(tenant.id)).toBe(30);
  });

  it('adopts the winner when a concurrent transaction claimed the identity first, moving its other identities', async () => {
    const tenant = await createTestTenant();
    const first = await testDb().startTransaction().execute();
    const [winner] = await findOrCreateCustomers(first, tenant.id, [{ email: 'race@example.com' }]);
    const second = testDb()
      .transaction()
      .execute((tx) =>
        findOrCreateCustomers(tx, tenant.id, [{ email: 'race@example.com', phone: '13900000009' }]),
      );
    // The second batch must be waiting on the first one's uncommitted identity before that commits.
    await expect.poll(() => lockWaiters(), { timeout: 10_000, interval: 20 }).toBeGreaterThan(0);
    await first.commit().execute();
    const [loser] = await second;
    expect(loser!.id).toBe(winner!.id);
    expect(loser!.created).toBe(false);
    const phone = await testDb()
      .selectFrom('customerIdentities')
      .select('customerId')
      .where('tenantId', '=', tenant.id)
      .where('kind', '=', 'phone')
      .executeTakeFirstOrThrow();
    expect(phone.customerId).toBe(winner!.id);
    expect(await customerCount(tenant.id)).toBe(1);
  });
});
