/**
 * A stand-in for a Shopify shop's Admin GraphQL endpoint, for tests only: Shopify cannot be reached from
 * here. It serves recorded payloads (fixtures/shopify/order-1001.graphql.json, cloned into `orders` orders)
 * on 127.0.0.1 and ASSERTS every request the adapter makes — the API path and version, the access token
 * header, a known named operation, and the `@idempotent` directive on refundCreate — recording violations in
 * `failures` (tests expect it empty). It implements only the search syntax and mutations the adapter uses.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHOPIFY_API_VERSION } from './shopify.graphql.ts';
import type { ShOrder, ShRefund } from './shopify.mapping.ts';

export const shopifyFixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/shopify/${name}`, import.meta.url), 'utf8');

export interface ShopifyStub {
  url: string;
  token: string;
  orders: ShOrder[];
  requests: { operation: string; variables: Record<string, unknown> }[];
  failures: string[];
  close(): Promise<void>;
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const decimal = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** Orders #1001… from the recorded one: every third closed and delivered, customers shared by seven. */
function buildOrders(count: number): ShOrder[] {
  const template = JSON.parse(shopifyFixture('order-1001.graphql.json')) as ShOrder;
  const base = Date.parse(template.updatedAt);
  return Array.from({ length: count }, (_, i) => {
    const o = JSON.parse(JSON.stringify(template)) as ShOrder;
    if (i === 0) return o;
    const id = 5712345678901 + i;
    o.id = `gid://shopify/Order/${id}`;
    o.name = `#${1001 + i}`;
    o.updatedAt = new Date(base + i * 60_000).toISOString();
    const c = (i % 7) + 1;
    o.customer = {
      id: `gid://shopify/Customer/${7012345678901 + c}`,
      displayName: `顾客 ${c}`,
      email: `customer${c}@example.com`,
      phone: `+86139001390${String(c).padStart(2, '0')}`,
    };
    o.lineItems.nodes = o.lineItems.nodes.map((l, n) => ({ ...l, id: `gid://shopify/LineItem/${id}${n}` }));
    o.transactions = o.transactions.map((t) => ({ ...t, id: `gid://shopify/OrderTransaction/${id}` }));
    o.fulfillments = o.fulfillments.map((f) => ({
      ...f,
      id: `gid://shopify/Fulfillment/${id}`,
      trackingInfo: [{ company: 'SF Express', number: `SF14028${id}`, url: null }],
    }));
    if (i % 3 === 0) {
      o.closedAt = o.updatedAt;
      o.fulfillments = o.fulfillments.map((f) => ({
        ...f,
        displayStatus: 'DELIVERED',
        deliveredAt: o.updatedAt,
      }));
    }
    return o;
  });
}

/** `name:"#1001" AND updated_at:>="2026-…"` → a predicate; only the fields the adapter searches by. */
function matcher(query: string): (o: ShOrder) => boolean {
  const terms = query.split(' AND ').map((t) => {
    const m = /^(\w+):(>=)?(?:"((?:[^"\\]|\\.)*)"|(\S+))$/.exec(t.trim());
    if (!m) throw new Error(`unsupported search term ${t}`);
    return { field: m[1]!, value: (m[3] ?? m[4]!).replace(/\\(.)/g, '$1') };
  });
  return (o) =>
    terms.every(({ field, value }) => {
      switch (field) {
        case 'name':
          return o.name === value;
        case 'email':
          return o.customer?.email === value;
        case 'phone':
          return o.customer?.phone === value;
        case 'customer_id':
          return o.customer?.id.endsWith(`/${value}`) ?? false;
        case 'updated_at':
          return o.updatedAt >= new Date(value).toISOString();
        default:
          throw new Error(`unsupported search field ${field}`);
      }
    });
}

export async function startShopifyStub(
  options: { orders?: number; token?: string } = {},
): Promise<ShopifyStub> {
  const token = options.token ?? 'shpat_test_token';
  const orders = buildOrders(options.orders ?? 60);
  const refundsByKey = new Map<string, ShRefund>();
  const stub: Omit<ShopifyStub, 'url' | 'close'> = { token, orders, requests: [], failures: [] };
  let clock = Date.parse('2026-11-20T00:00:00Z');
  const touch = (o: ShOrder) => (o.updatedAt = new Date((clock += 1000)).toISOString());

  const handle = (body: { query: string; variables: Record<string, unknown> }): unknown => {
    const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '';
    const v = body.variables;
    stub.requests.push({ operation, variables: v });
    const byId = (id: unknown) => orders.find((o) => o.id === id) ?? null;
    switch (operation) {
      case 'PeakDeskOrder':
      case 'PeakDeskOrderNote':
        return { order: byId(v.id) };
      case 'PeakDeskOrderByName':
        return { orders: { nodes: orders.filter(matcher(String(v.query))).slice(0, 1) } };
      case 'PeakDeskOrders': {
        const all = orders
          .filter(matcher(String(v.query)))
          .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
        const start = typeof v.after === 'string' ? Number(Buffer.from(v.after, 'base64url').toString()) : 0;
        const page = all.slice(start, start + Number(v.first));
        const next = start + page.length;
        return {
          orders: {
            pageInfo: {
              hasNextPage: next < all.length,
              endCursor: Buffer.from(String(next)).toString('base64url'),
            },
            nodes: page,
          },
        };
      }
      case 'PeakDeskRefundCreate': {
        if (
          !/refundCreate\(input: \$input\) @idempotent\(key: \$idempotencyKey\)/.test(body.query) ||
          !v.idempotencyKey
        ) {
          stub.failures.push('refundCreate without @idempotent(key:)');
        }
        const key = String(v.idempotencyKey);
        const first = refundsByKey.get(key);
        if (first) return { refundCreate: { refund: first, userErrors: [] } };
        const input = v.input as {
          orderId: string;
          note: string;
          transactions: { parentId: string; amount: string }[];
        };
        const order = byId(input.orderId);
        const amount = cents(input.transactions[0]!.amount);
        if (!order)
          return {
            refundCreate: {
              refund: null,
              userErrors: [{ field: ['orderId'], message: 'Order does not exist' }],
            },
          };
        const left =
          cents(order.totalReceivedSet.shopMoney.amount) - cents(order.totalRefundedSet.shopMoney.amount);
        if (amount > left) {
          return {
            refundCreate: {
              refund: null,
              userErrors: [
                {
                  field: ['transactions'],
                  message: `Refund amount ${decimal(amount)} is greater than net payment received ${decimal(left)}`,
                },
              ],
            },
          };
        }
        const currencyCode = order.currencyCode;
        const refund: ShRefund = {
          id: `gid://shopify/Refund/${9900000000000 + refundsByKey.size}`,
          createdAt: new Date(clock).toISOString(),
          note: input.note,
          totalRefundedSet: { shopMoney: { amount: decimal(amount), currencyCode } },
          transactions: {
            nodes: [
              {
                id: `gid://shopify/OrderTransaction/r${refundsByKey.size}`,
                status: 'SUCCESS',
                parentTransaction: { id: input.transactions[0]!.parentId },
              },
            ],
          },
        };
        refundsByKey.set(key, refund);
        order.refunds.push(refund);
        order.totalRefundedSet = {
          shopMoney: {
            amount: decimal(cents(order.totalRefundedSet.shopMoney.amount) + amount),
            currencyCode,
          },
        };
        order.displayFinancialStatus = 'PARTIALLY_REFUNDED';
        touch(order);
        return { refundCreate: { refund, userErrors: [] } };
      }
      case 'PeakDeskOrderNoteUpdate': {
        const input = v.input as { id: string; note: string };
        const order = byId(input.id);
        if (!order)
          return {
            orderUpdate: { order: null, userErrors: [{ field: ['id'], message: 'Order does not exist' }] },
          };
        order.note = input.note;
        touch(order);
        return {
          orderUpdate: {
            order: { id: order.id, note: order.note, updatedAt: order.updatedAt },
            userErrors: [],
          },
        };
      }
      case 'PeakDeskCustomer': {
        const o = orders.find((x) => x.customer?.id === v.id);
        return {
          customer: o?.customer
            ? {
                id: o.customer.id,
                displayName: o.customer.displayName,
                createdAt: o.createdAt,
                storeCreditAccounts: { nodes: [] },
              }
            : null,
        };
      }
      default:
        stub.failures.push(`unknown operation "${operation}"`);
        return undefined;
    }
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      };
      if (req.method !== 'POST' || req.url !== `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`) {
        stub.failures.push(`unexpected ${req.method} ${req.url}`);
        return send(404, { errors: 'Not Found' });
      }
      if (req.headers['x-shopify-access-token'] !== token) {
        return send(401, {
          errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
        });
      }
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        stub.failures.push('request without content-type application/json');
      }
      try {
        const data = handle(
          JSON.parse(Buffer.concat(chunks).toString()) as {
            query: string;
            variables: Record<string, unknown>;
          },
        );
        if (data === undefined)
          return send(200, {
            errors: [{ message: 'unknown operation', extensions: { code: 'BAD_REQUEST' } }],
          });
        send(200, { data });
      } catch (error) {
        stub.failures.push((error as Error).message);
        send(200, { errors: [{ message: (error as Error).message }] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...stub,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
