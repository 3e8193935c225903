import { randomBytes } from 'node:crypto';
import type { OrderSummary } from '@peakdesk/commerce';
import type { Db } from '../db/database.ts';
import { uuidv7 } from '../lib/ids.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import { toTsvectorLiteral } from '../modules/search/cjk-tokenizer.ts';
import {
  insertConnection,
  listConnections,
  openSecrets,
  sealCredentials,
  sealWebhookSecret,
  updateConnection,
  type ShopConnection,
} from '../modules/shops/shop-connection.repository.ts';
import type { ShopGateway } from '../modules/shops/shop-gateway.ts';

/**
 * The demo tenant's connection to the demo shop that `npm start` runs beside PeakDesk, and the demo tickets'
 * order numbers pointed at real orders of that shop, so that the order panel shows something on first start.
 */
export const DEMO_SHOP_NAME = '演示店铺 Demo shop';

/** Orders that make a dull panel (nothing shipped, nothing paid). */
const UNHELPFUL = new Set(['cancelled', 'closed', 'pending_payment']);

export interface DemoShopLink {
  connection: ShopConnection;
  apiKey: string;
  webhookSecret: string;
}

/**
 * Finds or creates the tenant's demo-shop connection (default, auto-replies on shipment on). Its API key and
 * webhook secret are generated once, stored sealed, and handed to the shop process on every start. The base
 * URL follows the configured port.
 */
export async function ensureDemoShopConnection(
  db: Db,
  tenantId: string,
  box: SecretBox,
  baseUrl: string,
  now = new Date(),
): Promise<DemoShopLink> {
  let connection = (await listConnections(db, tenantId)).find((c) => c.kind === 'demo-shop');
  if (!connection) {
    const id = uuidv7();
    const apiKey = randomBytes(24).toString('base64url');
    const webhookSecret = randomBytes(32).toString('base64url');
    connection = await db.transaction().execute((tx) =>
      insertConnection(
        tx,
        {
          tenantId,
          id,
          kind: 'demo-shop',
          name: DEMO_SHOP_NAME,
          baseUrl,
          credentials: sealCredentials(box, tenantId, id, { apiKey }),
          webhookSecret: sealWebhookSecret(box, tenantId, id, webhookSecret),
          settings: { cacheTtlSeconds: 30, timeoutMs: 3000, autoReplyOnShipment: true },
          isDefault: true,
        },
        now,
      ),
    );
  } else if (connection.baseUrl !== baseUrl) {
    connection = (await updateConnection(db, tenantId, connection.id, { baseUrl }, now))!;
  }
  const secrets = openSecrets(box, connection);
  return {
    connection,
    apiKey: secrets.credentials.apiKey ?? '',
    webhookSecret: secrets.webhookSecret ?? '',
  };
}

/**
 * Once per tenant: the demo tickets were seeded with placeholder order numbers (E20261111…); point up to
 * `limit` of them at real orders of the running demo shop — order number, subject, message text and search
 * index — and link them to the connection. Returns how many were linked (0 when done before).
 */
export async function linkDemoTicketsToShop(
  db: Db,
  connection: ShopConnection,
  gateway: ShopGateway,
  limit = 150,
): Promise<number> {
  const { tenantId } = connection;
  const linkedBefore = await db
    .selectFrom('tickets')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('shopConnectionId', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  if (linkedBefore) return 0;
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'subject', 'orderNumber'])
    .where('tenantId', '=', tenantId)
    .where('orderNumber', 'like', 'E20261111%')
    .orderBy('number')
    .limit(limit)
    .execute();
  const orders: OrderSummary[] = [];
  // Orders changed since Double 11 began, paid and not cancelled: every stage from paid to returned.
  let cursor: string | undefined;
  for (let pages = 0; orders.length < tickets.length * 3 && pages < 20; pages++) {
    const page = await gateway.call(connection, (adapter) =>
      adapter.listChangedOrders('2026-11-10T16:00:00.000Z', cursor, 200),
    );
    orders.push(...page.items.filter((o) => !UNHELPFUL.has(o.status)));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  // Spread the tickets over the orders, so that they show different stages rather than one hour's orders.
  const step = Math.max(1, Math.floor(orders.length / Math.max(1, tickets.length)));
  let linked = 0;
  await db.transaction().execute(async (tx) => {
    for (const [i, ticket] of tickets.entries()) {
      const order = orders[i * step];
      if (!order || !ticket.orderNumber) break;
      const from = ticket.orderNumber;
      const to = order.orderNumber;
      const messages = await tx
        .updateTable('ticketMessages')
        .set((eb) => ({ body: eb.fn<string>('replace', ['body', eb.val(from), eb.val(to)]) }))
        .where('tenantId', '=', tenantId)
        .where('ticketId', '=', ticket.id)
        .returning('body')
        .execute();
      const subject = ticket.subject.replaceAll(from, to);
      await tx
        .updateTable('tickets')
        .set({
          orderNumber: to,
          subject,
          shopConnectionId: connection.id,
          searchVector: toTsvectorLiteral([subject, to, ...messages.map((m) => m.body)].join('\n')),
        })
        .where('tenantId', '=', tenantId)
        .where('id', '=', ticket.id)
        .execute();
      linked += 1;
    }
  });
  return linked;
}
