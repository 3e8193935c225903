/**
 * The Admin GraphQL documents the Shopify adapter sends (API version 2026-01), one named operation each — the
 * test stub (shopify.stub.ts) dispatches on these names and asserts them. Money fields read the shop currency.
 */
export const SHOPIFY_API_VERSION = '2026-01';

const MONEY = 'shopMoney { amount currencyCode }';
const SUMMARY_FIELDS = `id name createdAt updatedAt cancelledAt closedAt displayFinancialStatus
  displayFulfillmentStatus totalPriceSet { ${MONEY} } customer { id displayName email phone }`;
const FULFILLMENT_FIELDS = `id status displayStatus createdAt inTransitAt deliveredAt
  trackingInfo(first: 5) { company number url }
  events(first: 50) { nodes { happenedAt status message city province } }`;
const REFUND_FIELDS = `id createdAt note totalRefundedSet { ${MONEY} }
  transactions(first: 5) { nodes { id status parentTransaction { id } } }`;
const ORDER_FIELDS = `${SUMMARY_FIELDS} processedAt currencyCode email phone note discountCodes
  shippingAddress { name phone address1 address2 city province zip countryCodeV2 }
  subtotalPriceSet { ${MONEY} } totalDiscountsSet { ${MONEY} } totalShippingPriceSet { ${MONEY} }
  totalReceivedSet { ${MONEY} } totalRefundedSet { ${MONEY} }
  lineItems(first: 100) { nodes { id sku title variantTitle quantity currentQuantity product { id }
    originalUnitPriceSet { ${MONEY} } discountedUnitPriceAfterAllDiscountsSet { ${MONEY} }
    totalDiscountSet { ${MONEY} } } }
  transactions(first: 20) { id kind status gateway processedAt authorizationCode amountSet { ${MONEY} }
    parentTransaction { id } }
  fulfillments(first: 20) { ${FULFILLMENT_FIELDS} }
  refunds(first: 50) { ${REFUND_FIELDS} }`;

export const Q_ORDER = `query PeakDeskOrder($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
export const Q_ORDER_BY_NAME = `query PeakDeskOrderByName($query: String!) {
  orders(first: 1, query: $query) { nodes { ${ORDER_FIELDS} } } }`;
export const Q_ORDERS = `query PeakDeskOrders($query: String!, $first: Int!, $after: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor } nodes { ${SUMMARY_FIELDS} } } }`;
export const M_REFUND = `mutation PeakDeskRefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { ${REFUND_FIELDS} } userErrors { field message } } }`;
export const Q_NOTE = `query PeakDeskOrderNote($id: ID!) { order(id: $id) { id note updatedAt } }`;
export const M_NOTE = `mutation PeakDeskOrderNoteUpdate($input: OrderInput!) {
  orderUpdate(input: $input) { order { id note updatedAt } userErrors { field message } } }`;
export const Q_CUSTOMER = `query PeakDeskCustomer($id: ID!) {
  customer(id: $id) { id displayName createdAt
    storeCreditAccounts(first: 1) { nodes { balance { amount currencyCode } } } } }`;
