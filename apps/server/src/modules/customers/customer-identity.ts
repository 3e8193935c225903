import type { Kysely } from 'kysely';
import type { Database } from '../../db/tables.ts';
import { uuidv7 } from '../../lib/ids.ts';

/** How a ticket names its customer; any subset may be present. */
export interface CustomerContact {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  /** A shop platform (e.g. `taobao`, `shopify`, `demo-shop`) with the customer's id there. */
  platform?: string | null;
  externalId?: string | null;
}

export interface IdentityKey {
  kind: 'platform' | 'email' | 'phone';
  value: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Digits only, without China's +86/0086 prefix, so `+86 138-0000-0001` and `13800000001` are one person. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '').replace(/^\+/, '');
  return digits.replace(/^(?:0086|86)(?=1\d{10}$)/, '');
}

/** The identity keys of a contact, strongest first: platform id, then email, then phone. */
export function identityKeys(contact: CustomerContact): IdentityKey[] {
  const keys: IdentityKey[] = [];
  if (contact.platform && contact.externalId) {
    keys.push({
      kind: 'platform',
      value: `${contact.platform.trim().toLowerCase()}:${contact.externalId.trim()}`,
    });
  }
  if (contact.email?.trim()) keys.push({ kind: 'email', value: normaliseEmail(contact.email) });
  if (contact.phone && normalisePhone(contact.phone).length >= 5) {
    keys.push({ kind: 'phone', value: normalisePhone(contact.phone) });
  }
  return keys;
}

export interface FoundCustomer {
  id: string;
  created: boolean;
}

/**
 * Finds the customer a contact names, or creates it, inside the caller's transaction. Safe under
 * concurrency: a new customer's strongest identity is claimed with INSERT … ON CONFLICT DO NOTHING, which
 * waits for a concurrent claimant and lets exactly one win; the loser adopts the winner's customer. The
 * identity's foreign key is deferred, so the claim can precede the customer row. Identities the contact
 * adds (a new email for a known phone) are attached to the found customer unless another customer has them.
 */
export async function findOrCreateCustomer(
  tx: Kysely<Database>,
  tenantId: string,
  contact: CustomerContact,
  now: Date = new Date(),
): Promise<FoundCustomer | null> {
  const keys = identityKeys(contact);
  if (keys.length === 0) return null;

  const existing = await tx
    .selectFrom('customerIdentities')
    .select(['kind', 'value', 'customerId'])
    .where('tenantId', '=', tenantId)
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('kind', '=', k.kind), eb('value', '=', k.value)]))))
    .execute();
  const byKey = new Map(existing.map((row) => [`${row.kind}:${row.value}`, row.customerId]));
  let customerId = keys.map((k) => byKey.get(`${k.kind}:${k.value}`)).find((id) => id !== undefined);
  let created = false;

  if (!customerId) {
    const candidate = uuidv7();
    const [strongest] = keys;
    const claimed = await tx
      .insertInto('customerIdentities')
      .values({
        tenantId,
        kind: strongest!.kind,
        value: strongest!.value,
        customerId: candidate,
        createdAt: now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('customerId')
      .executeTakeFirst();
    if (claimed) {
      await tx
        .insertInto('customers')
        .values({
          tenantId,
          id: candidate,
          name: contact.name?.trim() ?? '',
          email: contact.email ? normaliseEmail(contact.email) : null,
          phone: contact.phone?.trim() || null,
          address: null,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      customerId = candidate;
      created = true;
    } else {
      const winner = await tx
        .selectFrom('customerIdentities')
        .select('customerId')
        .where('tenantId', '=', tenantId)
        .where('kind', '=', strongest!.kind)
        .where('value', '=', strongest!.value)
        .executeTakeFirstOrThrow();
      customerId = winner.customerId;
    }
  }

  const missing = keys.filter((k) => !byKey.has(`${k.kind}:${k.value}`));
  if (missing.length) {
    await tx
      .insertInto('customerIdentities')
      .values(
        missing.map((k) => ({
          tenantId,
          kind: k.kind,
          value: k.value,
          customerId: customerId,
          createdAt: now,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return { id: customerId, created };
}
