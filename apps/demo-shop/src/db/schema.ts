import type pg from 'pg';

/**
 * The demo shop's own tables. They live in one schema (default `demo_shop`) because this is the merchant's
 * system, not PeakDesk's: a single merchant, so no tenant_id. Money is in fen (bigint), times are timestamptz.
 * `version` on orders and after-sales grows on every change so that consumers can drop stale events.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS warehouses (
  code text PRIMARY KEY, name text NOT NULL, city text NOT NULL, province text NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  id text PRIMARY KEY, nick text NOT NULL, name text NOT NULL, phone text NOT NULL, email text,
  tier text NOT NULL, points_balance bigint NOT NULL DEFAULT 0, store_credit_fen bigint NOT NULL DEFAULT 0,
  province text NOT NULL, city text NOT NULL, district text NOT NULL, street text NOT NULL,
  joined_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS members_phone ON members (phone);
CREATE INDEX IF NOT EXISTS members_email ON members (email);
CREATE TABLE IF NOT EXISTS points_ledger (
  id bigserial PRIMARY KEY, member_id text NOT NULL REFERENCES members, delta bigint NOT NULL,
  reason text NOT NULL, order_id text, created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS points_ledger_member ON points_ledger (member_id, created_at);
CREATE TABLE IF NOT EXISTS products (
  id text PRIMARY KEY, title text NOT NULL, category text NOT NULL, brand text NOT NULL
);
CREATE TABLE IF NOT EXISTS skus (
  id text PRIMARY KEY, product_id text NOT NULL REFERENCES products, variant text NOT NULL,
  list_price_fen bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS price_points (
  id bigserial PRIMARY KEY, sku_id text NOT NULL REFERENCES skus, kind text NOT NULL,
  price_fen bigint NOT NULL, starts_at timestamptz NOT NULL, ends_at timestamptz, campaign text,
  tiers text
);
CREATE INDEX IF NOT EXISTS price_points_sku ON price_points (sku_id, starts_at);
CREATE TABLE IF NOT EXISTS coupon_templates (
  id text PRIMARY KEY, name text NOT NULL, value_fen bigint NOT NULL, min_spend_fen bigint NOT NULL,
  valid_days int NOT NULL
);
CREATE TABLE IF NOT EXISTS coupons (
  code text PRIMARY KEY, template_id text REFERENCES coupon_templates, member_id text NOT NULL,
  value_fen bigint NOT NULL, min_spend_fen bigint NOT NULL, status text NOT NULL,
  issued_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, used_order_id text
);
CREATE INDEX IF NOT EXISTS coupons_member ON coupons (member_id);
CREATE TABLE IF NOT EXISTS orders (
  id text PRIMARY KEY, order_number text NOT NULL UNIQUE, member_id text NOT NULL REFERENCES members,
  status text NOT NULL, campaign text, warehouse_code text NOT NULL,
  subtotal_fen bigint NOT NULL, discount_fen bigint NOT NULL, shipping_fen bigint NOT NULL,
  total_fen bigint NOT NULL, paid_fen bigint NOT NULL, refunded_fen bigint NOT NULL DEFAULT 0,
  coupon_code text, recipient_name text NOT NULL, recipient_phone text NOT NULL,
  province text NOT NULL, city text NOT NULL, district text NOT NULL, street text NOT NULL,
  created_at timestamptz NOT NULL, paid_at timestamptz, updated_at timestamptz NOT NULL,
  version int NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS orders_member ON orders (member_id, created_at);
CREATE INDEX IF NOT EXISTS orders_updated ON orders (updated_at, id);
CREATE TABLE IF NOT EXISTS order_lines (
  id text PRIMARY KEY, order_id text NOT NULL REFERENCES orders, line_no int NOT NULL,
  sku_id text NOT NULL REFERENCES skus, title text NOT NULL, variant text NOT NULL, quantity int NOT NULL,
  list_unit_fen bigint NOT NULL, paid_unit_fen bigint NOT NULL, discount_fen bigint NOT NULL,
  total_fen bigint NOT NULL, refunded_quantity int NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS order_lines_order ON order_lines (order_id);
CREATE TABLE IF NOT EXISTS payments (
  id text PRIMARY KEY, order_id text NOT NULL REFERENCES orders, method text NOT NULL,
  amount_fen bigint NOT NULL, status text NOT NULL, transaction_id text NOT NULL, paid_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_order ON payments (order_id);
CREATE TABLE IF NOT EXISTS refunds (
  id text PRIMARY KEY, order_id text NOT NULL REFERENCES orders, payment_id text, aftersale_id text,
  order_line_id text, amount_fen bigint NOT NULL, reason text NOT NULL, status text NOT NULL,
  idempotency_key text UNIQUE, request_hash text, created_at timestamptz NOT NULL, succeeded_at timestamptz
);
CREATE INDEX IF NOT EXISTS refunds_order ON refunds (order_id);
CREATE TABLE IF NOT EXISTS shipments (
  id text PRIMARY KEY, order_id text NOT NULL REFERENCES orders, carrier_code text NOT NULL,
  tracking_number text NOT NULL, warehouse_code text NOT NULL, status text NOT NULL,
  shipped_at timestamptz NOT NULL, delivered_at timestamptz, updated_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS shipments_order ON shipments (order_id);
CREATE INDEX IF NOT EXISTS shipments_tracking ON shipments (tracking_number);
CREATE TABLE IF NOT EXISTS tracking_events (
  shipment_id text NOT NULL REFERENCES shipments, seq int NOT NULL, occurred_at timestamptz NOT NULL,
  code text NOT NULL, location text NOT NULL, description text NOT NULL, PRIMARY KEY (shipment_id, seq)
);
CREATE TABLE IF NOT EXISTS aftersales (
  id text PRIMARY KEY, order_id text NOT NULL REFERENCES orders, kind text NOT NULL, status text NOT NULL,
  reason text NOT NULL, lines jsonb NOT NULL, requested_fen bigint NOT NULL,
  return_carrier text, return_tracking text, idempotency_key text UNIQUE, request_hash text,
  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, version int NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS aftersales_order ON aftersales (order_id);
CREATE TABLE IF NOT EXISTS aftersale_actions (
  idempotency_key text PRIMARY KEY, aftersale_id text NOT NULL, action text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS order_notes (
  id text PRIMARY KEY, order_id text NOT NULL REFERENCES orders, body text NOT NULL, visibility text NOT NULL,
  idempotency_key text UNIQUE, request_hash text, created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS compensations (
  id text PRIMARY KEY, member_id text NOT NULL REFERENCES members, kind text NOT NULL, amount_fen bigint,
  points bigint, coupon_code text, order_id text, reason text NOT NULL, idempotency_key text NOT NULL UNIQUE,
  request_hash text NOT NULL, created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
  id bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, type text NOT NULL, order_id text,
  payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(), delivered_at timestamptz, last_error text
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
CREATE SEQUENCE IF NOT EXISTS ids START 1;
`;

export const TABLES = [
  'outbox',
  'compensations',
  'order_notes',
  'aftersale_actions',
  'aftersales',
  'tracking_events',
  'shipments',
  'refunds',
  'payments',
  'order_lines',
  'orders',
  'coupons',
  'coupon_templates',
  'price_points',
  'skus',
  'products',
  'points_ledger',
  'members',
  'warehouses',
] as const;

export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a valid schema name: "${schema}"`);
  return schema;
}

/** Creates the schema and its tables when missing; the pool's search_path points at the schema. */
export async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${assertSchemaName(schema)}`);
  await pool.query(DDL);
}

export async function truncateAll(client: pg.PoolClient | pg.Pool): Promise<void> {
  await client.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`);
  await client.query(`ALTER SEQUENCE ids RESTART WITH 1`);
}
