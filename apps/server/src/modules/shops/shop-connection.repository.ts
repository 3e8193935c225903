import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ShopConnectionsTable, ShopSettings } from '../../db/tables.ts';
import type { SecretBox } from '../../lib/secret-box.ts';

/**
 * Storage of connected shops; every query is keyed by tenant. Credentials and the webhook secret are sealed
 * with the SecretBox here, on the way in, and only opened by `openSecrets` for the code that calls the shop:
 * no row type the routes see carries them in clear.
 */
type Db = Kysely<Database>;

/** A stored connection; `credentials` and `webhookSecret` are sealed (SecretBox) values. */
export type ShopConnection = Selectable<ShopConnectionsTable>;

/** What an adapter needs in clear: the kind's credential fields (e.g. `apiKey`) and the webhook secret. */
export interface ShopSecrets {
  credentials: Record<string, string>;
  webhookSecret: string | null;
}

function contextOf(tenantId: string, id: string, field: 'credentials' | 'webhook-secret'): string {
  return `shop-connection/${tenantId}/${id}/${field}`;
}

export function sealCredentials(
  box: SecretBox,
  tenantId: string,
  id: string,
  credentials: Record<string, string>,
): string {
  return box.seal(JSON.stringify(credentials), contextOf(tenantId, id, 'credentials'));
}

export function sealWebhookSecret(box: SecretBox, tenantId: string, id: string, secret: string): string {
  return box.seal(secret, contextOf(tenantId, id, 'webhook-secret'));
}

/** Opens a connection's secrets; throws SecretBoxError when the key is wrong or the value was tampered with. */
export function openSecrets(
  box: SecretBox,
  connection: Pick<ShopConnection, 'tenantId' | 'id' | 'credentials' | 'webhookSecret'>,
): ShopSecrets {
  const { tenantId, id } = connection;
  return {
    credentials: JSON.parse(
      box.open(connection.credentials, contextOf(tenantId, id, 'credentials')),
    ) as Record<string, string>,
    webhookSecret:
      connection.webhookSecret === null
        ? null
        : box.open(connection.webhookSecret, contextOf(tenantId, id, 'webhook-secret')),
  };
}

export function findConnection(db: Db, tenantId: string, id: string): Promise<ShopConnection | undefined> {
  return db
    .selectFrom('shopConnections')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The one lookup without a tenant: a shop's webhook names only the connection
 * (`/api/v1/webhooks/shops/:connectionId`), and the connection says which tenant it belongs to. The table
 * holds a handful of rows per tenant, so this is a small scan; callers at event rates cache the result.
 */
export function findConnectionForWebhook(db: Db, id: string): Promise<ShopConnection | undefined> {
  return db.selectFrom('shopConnections').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listConnections(db: Db, tenantId: string): Promise<ShopConnection[]> {
  return db
    .selectFrom('shopConnections')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/**
 * The connection new tickets with an order number are linked to: the tenant's default one if active, else
 * its oldest active one. One indexed query; intake calls it once per batch and tenant.
 */
export async function findDefaultConnectionId(db: Db, tenantId: string): Promise<string | null> {
  const row = await db
    .selectFrom('shopConnections')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('status', '=', 'active')
    .orderBy('isDefault', 'desc')
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface NewShopConnection {
  tenantId: string;
  id: string;
  kind: string;
  name: string;
  baseUrl: string;
  /** Sealed with `sealCredentials`. */
  credentials: string;
  /** Sealed with `sealWebhookSecret`. */
  webhookSecret: string | null;
  settings: ShopSettings;
  status?: 'active' | 'disabled';
  isDefault?: boolean;
}

/**
 * Inserts a connection. A new default takes the flag from the previous one in the same statement order
 * (clear, then insert), so the unique partial index on the default never trips. Run it in a transaction.
 */
export async function insertConnection(db: Db, row: NewShopConnection, now: Date): Promise<ShopConnection> {
  if (row.isDefault) await clearDefault(db, row.tenantId, now);
  return db
    .insertInto('shopConnections')
    .values({ ...row, settings: JSON.stringify(row.settings), createdAt: now, updatedAt: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type ShopConnectionPatch = Partial<
  Pick<
    ShopConnection,
    'name' | 'baseUrl' | 'credentials' | 'webhookSecret' | 'settings' | 'status' | 'isDefault'
  >
>;

/**
 * Compare-and-set on `version` when one is given; returns the updated row, or undefined when the
 * connection does not exist (or changed since that version). Run it in a transaction when it sets a default.
 */
export async function updateConnection(
  db: Db,
  tenantId: string,
  id: string,
  patch: ShopConnectionPatch,
  now: Date,
  expectedVersion?: number,
): Promise<ShopConnection | undefined> {
  if (patch.isDefault) await clearDefault(db, tenantId, now, id);
  const { settings, ...rest } = patch;
  let q = db
    .updateTable('shopConnections')
    .set({
      ...rest,
      ...(settings !== undefined ? { settings: JSON.stringify(settings) } : {}),
      version: sql`version + 1`,
      updatedAt: now,
    })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  return q.returningAll().executeTakeFirst();
}

async function clearDefault(db: Db, tenantId: string, now: Date, exceptId?: string): Promise<void> {
  let q = db
    .updateTable('shopConnections')
    .set({ isDefault: false, updatedAt: now, version: sql`version + 1` })
    .where('tenantId', '=', tenantId)
    .where('isDefault', '=', true);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

/** Records the outcome of a "test connection" (null error = it worked). */
export async function recordConnectionTest(
  db: Db,
  tenantId: string,
  id: string,
  error: string | null,
  now: Date,
): Promise<void> {
  await db
    .updateTable('shopConnections')
    .set({ lastTestedAt: now, lastTestError: error === null ? null : error.slice(0, 500) })
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Deletes the connection and (cascade) its snapshots; tickets keep the id and read it as "no shop". */
export async function deleteConnection(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('shopConnections')
    .where('tenantId', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
