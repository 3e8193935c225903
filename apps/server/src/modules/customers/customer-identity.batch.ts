import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';
import {
  identityKeys,
  normaliseEmail,
  type CustomerContact,
  type FoundCustomer,
  type IdentityKey,
} from './customer-identity.ts';

const idOf = (key: IdentityKey) => `${key.kind}\u0000${key.value}`;

/** The identities among `keys`, joined on unnest: one plan whatever the number of keys. */
async function selectIdentities(
  tx: Kysely<Database>,
  tenantId: string,
  keys: readonly IdentityKey[],
): Promise<(IdentityKey & { customerId: string })[]> {
  const result = await sql<IdentityKey & { customerId: string }>`
    SELECT i.kind, i.value, i.customer_id AS "customerId"
    FROM customer_identities i
    JOIN unnest(${keys.map((k) => k.kind)}::text[], ${keys.map((k) => k.value)}::text[]) AS w (kind, value)
      ON i.kind = w.kind AND i.value = w.value
    WHERE i.tenant_id = ${tenantId}`.execute(tx);
  return result.rows;
}

/**
 * findOrCreateCustomer for a whole batch with a constant number of statements (group commit writes hundreds
 * of tickets per transaction; one round trip per statement per ticket was most of its time):
 *
 * 1. one SELECT of every identity the batch names;
 * 2. in memory, item by item in order, the same decisions findOrCreateCustomer makes one at a time: a known
 *    identity (in the database, or given to an earlier item of this batch) names the customer; otherwise a
 *    new candidate customer is made for the item's strongest identity;
 * 3. one INSERT … ON CONFLICT DO NOTHING RETURNING of every identity to add, sorted by (kind, value) so
 *    concurrent batches lock them in one order. An identity a concurrent transaction claimed first makes
 *    this statement wait for it, then is not returned;
 * 4. only when step 3 lost some: one SELECT of the winners, and the candidates whose strongest identity lost
 *    adopt the winner's customer (their other new identities are pointed at it with one UPDATE);
 * 5. one INSERT of the new customers that won.
 *
 * Same result as calling findOrCreateCustomer per item in order, and as safe under concurrency: two
 * simultaneous batches naming a new customer yield one customer.
 */
export async function findOrCreateCustomers(
  tx: Kysely<Database>,
  tenantId: string,
  contacts: readonly CustomerContact[],
  now: Date = new Date(),
): Promise<(FoundCustomer | null)[]> {
  const keysOf = contacts.map(identityKeys);
  const distinct = new Map<string, IdentityKey>();
  for (const keys of keysOf) for (const key of keys) distinct.set(idOf(key), key);
  if (distinct.size === 0) return contacts.map(() => null);

  const existing = await selectIdentities(tx, tenantId, [...distinct.values()]);
  const known = new Map(existing.map((row) => [idOf(row), row.customerId]));

  // Identities this batch adds, with the customer (existing or candidate) each one points at.
  const added = new Map<string, { key: IdentityKey; customerId: string }>();
  const candidates = new Map<string, { claim: IdentityKey; contact: CustomerContact }>();
  const chosen = keysOf.map((keys, index): string | null => {
    if (keys.length === 0) return null;
    let customerId = keys
      .map((k) => known.get(idOf(k)) ?? added.get(idOf(k))?.customerId)
      .find((id) => id !== undefined);
    if (!customerId) {
      customerId = uuidv7(now.getTime());
      candidates.set(customerId, { claim: keys[0]!, contact: contacts[index]! });
    }
    for (const key of keys) {
      const id = idOf(key);
      if (!known.has(id) && !added.has(id)) added.set(id, { key, customerId });
    }
    return customerId;
  });

  const rows = [...added.values()].sort((a, b) => (idOf(a.key) < idOf(b.key) ? -1 : 1));
  const inserted = rows.length
    ? await tx
        .insertInto('customerIdentities')
        .values(
          rows.map((r) => ({
            tenantId,
            kind: r.key.kind,
            value: r.key.value,
            customerId: r.customerId,
            createdAt: now,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning(['kind', 'value'])
        .execute()
    : [];
  const won = new Set(inserted.map(idOf));

  // Concurrent transactions claimed some identities first: the candidates that lost their claim adopt the
  // winner's customer. Identities that lost but were not a claim simply stay with their winner.
  const adopted = new Map<string, string>();
  const lostClaims = [...candidates.entries()].filter(([, c]) => !won.has(idOf(c.claim)));
  if (lostClaims.length) {
    const winners = await selectIdentities(
      tx,
      tenantId,
      lostClaims.map(([, c]) => c.claim),
    );
    const winnerOf = new Map(winners.map((w) => [idOf(w), w.customerId]));
    for (const [candidate, { claim }] of lostClaims) {
      adopted.set(candidate, winnerOf.get(idOf(claim))!);
      candidates.delete(candidate);
    }
    const repoint = rows.filter((r) => won.has(idOf(r.key)) && adopted.has(r.customerId));
    if (repoint.length) {
      const json = JSON.stringify(
        repoint.map((r) => ({
          kind: r.key.kind,
          value: r.key.value,
          customer_id: adopted.get(r.customerId),
        })),
      );
      await sql`
        UPDATE customer_identities AS i SET customer_id = v.customer_id
        FROM jsonb_to_recordset(${json}::jsonb) AS v (kind text, value text, customer_id uuid)
        WHERE i.tenant_id = ${tenantId} AND i.kind = v.kind AND i.value = v.value`.execute(tx);
    }
  }

  if (candidates.size) {
    await tx
      .insertInto('customers')
      .values(
        [...candidates.entries()].map(([id, { contact }]) => ({
          tenantId,
          id,
          name: contact.name?.trim() ?? '',
          email: contact.email ? normaliseEmail(contact.email) : null,
          phone: contact.phone?.trim() || null,
          address: null,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .execute();
  }

  const reported = new Set<string>();
  return chosen.map((id) => {
    if (id === null) return null;
    const final = adopted.get(id) ?? id;
    // Like findOrCreateCustomer, `created` is true for the first item that made the customer.
    const created = candidates.has(id) && !reported.has(id);
    if (created) reported.add(id);
    return { id: final, created };
  });
}
