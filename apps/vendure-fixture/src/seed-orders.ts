import { GraphqlClient } from './graphql-client.ts';

/**
 * Realistic orders placed the way a storefront places them (Shop API: a guest session per order, customer,
 * address, shipping method, payment), then worked in the back office (Admin API: fulfilments with carriers and
 * tracking codes, shipped, delivered, one cancellation). Deterministic: the same count gives the same shop.
 */
export interface SeedOptions {
  shopApiUrl: string;
  adminApiUrl: string;
  superadmin: { identifier: string; password: string };
  orders: number;
}

export interface SeedResult {
  orders: number;
  couponCode: string;
}

interface Buyer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  street: string;
  city: string;
  province: string;
  postalCode: string;
  countryCode: string;
}

const BUYERS: Buyer[] = [
  ['Na', 'Li', '+86 138 0013 8001', '88 Nanjing West Road', 'Shanghai', 'Shanghai', '200040', 'CN'],
  ['Wei', 'Zhang', '+86 139 1024 5566', '1 Jianguomenwai Avenue', 'Beijing', 'Beijing', '100004', 'CN'],
  ['Emma', 'Thompson', '+44 20 7946 0958', '221B Baker Street', 'London', 'Greater London', 'NW1 6XE', 'GB'],
  ['Lukas', 'Schneider', '+49 30 901820', 'Unter den Linden 77', 'Berlin', 'Berlin', '10117', 'DE'],
  ['Olivia', 'Martinez', '+1 415 555 0132', '500 Castro Street', 'San Francisco', 'CA', '94114', 'US'],
  ['Hiroshi', 'Tanaka', '+81 3 1234 5678', '1-1 Marunouchi', 'Chiyoda', 'Tokyo', '100-0005', 'JP'],
  ['Fang', 'Chen', '+86 135 7090 1234', '18 Tianhe Road', 'Guangzhou', 'Guangdong', '510620', 'CN'],
  ['Noah', 'Williams', '+1 212 555 0199', '350 Fifth Avenue', 'New York', 'NY', '10118', 'US'],
  ['Chloé', 'Dubois', '+33 1 42 68 53 00', '12 Rue de Rivoli', 'Paris', 'Île-de-France', '75004', 'FR'],
  ['Mei', 'Wang', '+86 137 2233 4455', '66 Wensan Road', 'Hangzhou', 'Zhejiang', '310013', 'CN'],
  ['Jack', 'Brown', '+61 2 9374 4000', '1 Macquarie Street', 'Sydney', 'NSW', '2000', 'AU'],
  ['Sofia', 'Rossi', '+39 06 6988 3145', 'Via del Corso 101', 'Rome', 'Lazio', '00186', 'IT'],
].map(([firstName, lastName, phone, street, city, province, postalCode, countryCode]) => ({
  firstName: firstName!,
  lastName: lastName!,
  email: `${firstName!.normalize('NFD').replace(/\p{M}/gu, '')}.${lastName}@example.com`.toLowerCase(),
  phone: phone!,
  street: street!,
  city: city!,
  province: province!,
  postalCode: postalCode!,
  countryCode: countryCode!,
}));

/** Carrier names as the fulfilment `method`, with a tracking-code shape each. */
const CARRIERS: { method: string; trackingCode: (n: number) => string }[] = [
  { method: 'SF Express', trackingCode: (n) => `SF${String(1_400_000_000_00 + n * 7919).padStart(12, '0')}` },
  { method: 'DHL Express', trackingCode: (n) => `${String(40_000_000_00 + n * 104_729).padStart(10, '0')}` },
  { method: 'UPS', trackingCode: (n) => `1Z999AA1${String(10_000_000 + n * 31).padStart(8, '0')}` },
  { method: 'Royal Mail', trackingCode: (n) => `RM${String(100_000_000 + n * 13).padStart(9, '0')}GB` },
];

export const SEED_COUPON = 'WELCOME10';

/** A small linear-congruential generator: the fixture must be the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const ORDER_FIELDS = `... on Order { id code state } ... on ErrorResult { errorCode message }`;

export async function seedOrders(options: SeedOptions): Promise<SeedResult> {
  const admin = new GraphqlClient(options.adminApiUrl);
  await admin.mutate(
    'login',
    `mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
      ... on CurrentUser { id } ... on ErrorResult { errorCode message } } }`,
    {
      u: options.superadmin.identifier,
      p: options.superadmin.password,
    },
  );
  await admin.mutate(
    'createPromotion',
    `mutation($input: CreatePromotionInput!) { createPromotion(input: $input) {
      ... on Promotion { id } ... on ErrorResult { errorCode message } } }`,
    {
      input: {
        enabled: true,
        couponCode: SEED_COUPON,
        conditions: [],
        actions: [{ code: 'order_percentage_discount', arguments: [{ name: 'discount', value: '10' }] }],
        translations: [{ languageCode: 'en', name: 'Welcome 10%', description: 'First-order discount' }],
      },
    },
  );
  const { productVariants } = await admin.request<{
    productVariants: { items: { id: string; stockOnHand: number }[] };
  }>(`{ productVariants(options: { take: 200, sort: { id: ASC } }) { items { id stockOnHand } } }`);
  const variants = productVariants.items.filter((v) => v.stockOnHand > 20).map((v) => v.id);
  const next = random(20261111);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;

  for (let i = 0; i < options.orders; i++) {
    const buyer = BUYERS[i % BUYERS.length]!;
    const lineCount = i % 10 === 6 ? 2 : 1 + Math.floor(next() * 3);
    const shop = new GraphqlClient(options.shopApiUrl);
    const chosen = new Set<string>();
    while (chosen.size < lineCount) chosen.add(pick(variants));
    for (const variantId of chosen) {
      await shop.mutate(
        'addItemToOrder',
        `mutation($id: ID!, $q: Int!) { addItemToOrder(productVariantId: $id, quantity: $q) { ${ORDER_FIELDS} } }`,
        { id: variantId, q: 1 + Math.floor(next() * 2) },
      );
    }
    if (i % 7 === 3) {
      await shop.mutate(
        'applyCouponCode',
        `mutation($c: String!) { applyCouponCode(couponCode: $c) { ${ORDER_FIELDS} } }`,
        { c: SEED_COUPON },
      );
    }
    await shop.mutate(
      'setCustomerForOrder',
      `mutation($input: CreateCustomerInput!) { setCustomerForOrder(input: $input) { ${ORDER_FIELDS} } }`,
      {
        input: {
          emailAddress: buyer.email,
          firstName: buyer.firstName,
          lastName: buyer.lastName,
          phoneNumber: buyer.phone,
        },
      },
    );
    await shop.mutate(
      'setOrderShippingAddress',
      `mutation($input: CreateAddressInput!) { setOrderShippingAddress(input: $input) { ${ORDER_FIELDS} } }`,
      {
        input: {
          fullName: `${buyer.firstName} ${buyer.lastName}`,
          streetLine1: buyer.street,
          city: buyer.city,
          province: buyer.province,
          postalCode: buyer.postalCode,
          countryCode: buyer.countryCode,
          phoneNumber: buyer.phone,
        },
      },
    );
    const { eligibleShippingMethods } = await shop.request<{ eligibleShippingMethods: { id: string }[] }>(
      `{ eligibleShippingMethods { id } }`,
    );
    await shop.mutate(
      'setOrderShippingMethod',
      `mutation($ids: [ID!]!) { setOrderShippingMethod(shippingMethodId: $ids) { ${ORDER_FIELDS} } }`,
      { ids: [eligibleShippingMethods[i % eligibleShippingMethods.length]!.id] },
    );
    await shop.mutate(
      'transitionOrderToState',
      `mutation { transitionOrderToState(state: "ArrangingPayment") { ${ORDER_FIELDS} } }`,
    );
    const order = await shop.mutate<{ id: string; code: string; state: string }>(
      'addPaymentToOrder',
      `mutation { addPaymentToOrder(input: { method: "standard-payment", metadata: {} }) { ${ORDER_FIELDS} } }`,
    );
    await workOrder(admin, order.id, i);
  }
  return { orders: options.orders, couponCode: SEED_COUPON };
}

/**
 * The back office's share, by position: most orders delivered, some shipped or partly shipped, some waiting
 * in the warehouse, one in ten cancelled.
 */
async function workOrder(admin: GraphqlClient, orderId: string, i: number): Promise<void> {
  const slot = i % 10;
  if (slot === 9) return;
  if (slot === 8) {
    await admin.mutate(
      'cancelOrder',
      `mutation($id: ID!) { cancelOrder(input: { orderId: $id, reason: "Customer changed their mind" }) {
        ${ORDER_FIELDS} } }`,
      { id: orderId },
    );
    return;
  }
  const { order } = await admin.request<{ order: { lines: { id: string; quantity: number }[] } }>(
    `query($id: ID!) { order(id: $id) { lines { id quantity } } }`,
    { id: orderId },
  );
  const lines = slot === 6 ? order.lines.slice(0, 1) : order.lines;
  const carrier = CARRIERS[i % CARRIERS.length]!;
  const fulfillment = await admin.mutate<{ id: string }>(
    'addFulfillmentToOrder',
    `mutation($input: FulfillOrderInput!) { addFulfillmentToOrder(input: $input) {
      ... on Fulfillment { id } ... on ErrorResult { errorCode message } } }`,
    {
      input: {
        lines: lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })),
        handler: {
          code: 'manual-fulfillment',
          arguments: [
            { name: 'method', value: carrier.method },
            { name: 'trackingCode', value: carrier.trackingCode(i) },
          ],
        },
      },
    },
  );
  const transition = (state: string) =>
    admin.mutate(
      'transitionFulfillmentToState',
      `mutation($id: ID!, $s: String!) { transitionFulfillmentToState(id: $id, state: $s) {
        ... on Fulfillment { id } ... on ErrorResult { errorCode message } } }`,
      { id: fulfillment.id, s: state },
    );
  await transition('Shipped');
  if (slot <= 3) await transition('Delivered');
}
