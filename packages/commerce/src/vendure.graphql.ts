/**
 * The Vendure Admin API documents the adapter sends (Vendure 3.x, checked against 3.7.3's schema). Money fields
 * are integers in the channel currency's minor units; ids are strings.
 */

const ERROR_RESULT = `... on ErrorResult { errorCode message }`;

/** `history` (newest entry only): a summary's version is the same number `Order.version` and webhooks carry. */
export const ORDER_SUMMARY_FIELDS = `
  id code state createdAt updatedAt orderPlacedAt currencyCode totalWithTax
  customer { id }
  history(options: { take: 1, sort: { id: DESC } }) { items { id } }`;

export const ORDER_FIELDS = `
  id code state active createdAt updatedAt orderPlacedAt currencyCode couponCodes
  subTotalWithTax shippingWithTax totalWithTax
  discounts { description amountWithTax }
  customer { id firstName lastName emailAddress phoneNumber }
  shippingAddress { fullName streetLine1 streetLine2 city province postalCode countryCode phoneNumber }
  lines {
    id quantity orderPlacedQuantity unitPriceWithTax proratedUnitPriceWithTax
    linePriceWithTax proratedLinePriceWithTax
    productVariant { id sku name productId }
  }
  payments {
    id createdAt updatedAt method amount state transactionId
    refunds { id createdAt updatedAt total state reason transactionId paymentId lines { orderLineId quantity } }
  }
  fulfillments {
    id createdAt updatedAt state method trackingCode
    lines { orderLineId quantity }
  }
  history(options: { take: 1000, sort: { createdAt: ASC } }) {
    items { id createdAt type data }
  }`;

export const GET_ORDER = `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

export const FIND_ORDER_BY_CODE = `query ($code: String!) {
  orders(options: { filter: { code: { eq: $code } }, take: 1 }) { items { id } }
}`;

/** Placed orders changed after `$after`, oldest change first (paged by `pageOfChanges`). */
export const CHANGED_ORDERS = `query ($after: DateTime!, $take: Int!) {
  orders(options: {
    filter: { updatedAt: { after: $after }, active: { eq: false } }
    sort: { updatedAt: ASC }
    take: $take
  }) { items { ${ORDER_SUMMARY_FIELDS} } totalItems }
}`;

export const FIND_CUSTOMERS = `query ($filter: CustomerFilterParameter!) {
  customers(options: { filter: $filter, take: 20 }) { items { id } }
}`;

export const CUSTOMER_ORDERS = `query ($id: ID!, $skip: Int!, $take: Int!) {
  customer(id: $id) {
    orders(options: { filter: { active: { eq: false } }, sort: { createdAt: DESC }, skip: $skip, take: $take }) {
      items { ${ORDER_SUMMARY_FIELDS} } totalItems
    }
  }
}`;

export const LOGIN = `mutation ($username: String!, $password: String!) {
  login(username: $username, password: $password) { ... on CurrentUser { id } ${ERROR_RESULT} }
}`;

export const ACTIVE_CHANNEL = `{ activeChannel { defaultCurrencyCode availableCurrencyCodes } }`;

export const REFUND_ORDER = `mutation ($input: RefundOrderInput!) {
  refundOrder(input: $input) {
    ... on Refund { id }
    ${ERROR_RESULT}
  }
}`;

export const SETTLE_REFUND = `mutation ($input: SettleRefundInput!) {
  settleRefund(input: $input) { ... on Refund { id state } ${ERROR_RESULT} }
}`;

export const ADD_NOTE = `mutation ($input: AddNoteToOrderInput!) {
  addNoteToOrder(input: $input) { id }
}`;

export const CANCEL_ORDER = `mutation ($input: CancelOrderInput!) {
  cancelOrder(input: $input) { ... on Order { id state } ${ERROR_RESULT} }
}`;

export const FIND_PROMOTION = `query ($code: String!) {
  promotions(options: { filter: { couponCode: { eq: $code } }, take: 1 }) {
    items { id createdAt couponCode description actions { code args { name value } } }
  }
}`;

export const CREATE_PROMOTION = `mutation ($input: CreatePromotionInput!) {
  createPromotion(input: $input) { ... on Promotion { id createdAt couponCode } ${ERROR_RESULT} }
}`;

export const CREATE_CUSTOMER_GROUP = `mutation ($input: CreateCustomerGroupInput!) {
  createCustomerGroup(input: $input) { id }
}`;
