import type { Kysely } from 'kysely';
import type { CustomerAddress, Database } from '../../db/tables.ts';
import { escapeLike } from '../users/user.repository.ts';
import type { IdentityKey } from './customer-identity.ts';

const COLUMNS = [
  'id',
  'name',
  'email',
  'phone',
  'tier',
  'address',
  'notes',
  'isActive',
  'createdAt',
  'updatedAt',
] as const;

export type CustomerRow = NonNullable<Awaited<ReturnType<typeof findCustomer>>>;

export function findCustomer(db: Kysely<Database>, tenantId: string, id: string, forUpdate = false) {
  let q = db.selectFrom('customers').select(COLUMNS).where('tenantId', '=', tenantId).where('id', '=', id);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface CustomerFilter {
  /** Prefix of the name, the email or the phone number. */
  q?: string;
  tier?: number;
  isActive?: boolean;
  /** Newest first: the page continues below this id. */
  before?: string;
  limit: number;
}

export function findCustomers(db: Kysely<Database>, tenantId: string, filter: CustomerFilter) {
  let q = db.selectFrom('customers').select(COLUMNS).where('tenantId', '=', tenantId);
  if (filter.tier !== undefined) q = q.where('tier', '=', filter.tier);
  if (filter.isActive !== undefined) q = q.where('isActive', '=', filter.isActive);
  if (filter.q) {
    const text = filter.q.trim();
    const lower = `${escapeLike(text.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['name']), 'like', lower),
        eb('email', 'like', lower),
        eb('phone', 'like', `${escapeLike(text)}%`),
      ]),
    );
  }
  if (filter.before) q = q.where('id', '<', filter.before);
  return q
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export function findIdentities(db: Kysely<Database>, tenantId: string, customerId: string) {
  return db
    .selectFrom('customerIdentities')
    .select(['kind', 'value'])
    .where('tenantId', '=', tenantId)
    .where('customerId', '=', customerId)
    .orderBy('kind')
    .orderBy('value')
    .execute();
}

/** Which customers hold any of these identities. */
export function findIdentityOwners(db: Kysely<Database>, tenantId: string, keys: IdentityKey[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('customerIdentities')
    .select(['kind', 'value', 'customerId'])
    .where('tenantId', '=', tenantId)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
    .execute();
}

/** Claims identities for a customer; returns the ones another customer holds already (nothing is taken). */
export async function claimIdentities(
  db: Kysely<Database>,
  tenantId: string,
  customerId: string,
  keys: IdentityKey[],
  now: Date,
): Promise<IdentityKey[]> {
  if (keys.length === 0) return [];
  await db
    .insertInto('customerIdentities')
    .values(keys.map((k) => ({ tenantId, kind: k.kind, value: k.value, customerId, createdAt: now })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  const owners = await findIdentityOwners(db, tenantId, keys);
  return owners.filter((o) => o.customerId !== customerId).map((o) => ({ kind: o.kind, value: o.value }));
}

export interface CustomerPatch {
  name?: string;
  email?: string | null;
  phone?: string | null;
  tier?: number;
  address?: CustomerAddress | null;
  notes?: string;
  isActive?: boolean;
}

export async function updateCustomer(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  patch: CustomerPatch,
  now: Date,
): Promise<void> {
  const { address, ...rest } = patch;
  await db
    .updateTable('customers')
    .set({
      ...rest,
      ...(address !== undefined ? { address: address === null ? null : JSON.stringify(address) } : {}),
      updatedAt: now,
    })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
}
