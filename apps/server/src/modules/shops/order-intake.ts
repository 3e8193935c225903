import { identityKeys } from '../customers/customer-identity.ts';
import type { NewTicketInput } from '../tickets/new-ticket.ts';
import { findOrderNumber } from './order-number.ts';

/** The platform of a customer known only by the order they asked about, until enrichment finds the buyer. */
export const ORDER_PLACEHOLDER_PLATFORM = 'order';

/**
 * What intake adds to a new ticket about an order, without asking the shop: the order number quoted in the
 * text when the field is empty, and, for a ticket that names no customer at all ("just an order number"), a
 * customer named by that order (`order:<number>`), whom shops.enrich-ticket later replaces by the buyer.
 * Pure; a few regexes per ticket.
 */
export function withOrderFromText(input: NewTicketInput): NewTicketInput {
  const orderNumber = input.orderNumber?.trim() || findOrderNumber(`${input.subject ?? ''}\n${input.body}`);
  if (!orderNumber) return input;
  if (identityKeys(input.customer).length > 0) return { ...input, orderNumber };
  return {
    ...input,
    orderNumber,
    customer: { ...input.customer, platform: ORDER_PLACEHOLDER_PLATFORM, externalId: orderNumber },
  };
}
