import type { ContactField, Order } from '@peakdesk/commerce';
import { seesMaskedPii, type Actor } from '../access/permissions.ts';
import { maskEmail, maskPhone } from '../access/masking.ts';
import type { CustomerContext, OrderPanel } from './order-panel.service.ts';

/**
 * The panel JSON. Outsourced agents and department collaborators see the buyer's name, phone, email and street
 * masked, as they do everywhere in PeakDesk; the region stays, which is what shipping questions need.
 */
export function presentOrderPanel(actor: Actor, panel: OrderPanel, now: Date) {
  const order = panel.order && seesMaskedPii(actor) ? maskOrder(panel.order) : panel.order;
  return {
    ticketId: panel.ticketId,
    orderNumber: panel.orderNumber,
    state: panel.state,
    connection: panel.connection,
    order: order as unknown as Record<string, unknown> | null,
    source: panel.source,
    stale: panel.stale,
    fetchedAt: panel.fetchedAt?.toISOString() ?? null,
    ageSeconds: panel.fetchedAt
      ? Math.max(0, Math.floor((now.getTime() - panel.fetchedAt.getTime()) / 1000))
      : null,
    ...(panel.failure ? { failure: panel.failure } : {}),
  };
}

export function presentCustomerContext(context: CustomerContext) {
  return {
    customer: context.customer,
    tickets: context.tickets.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
    orders: context.orders
      ? {
          items: context.orders.items as unknown as Record<string, unknown>[],
          stale: context.orders.stale,
          ...(context.orders.failure ? { failure: context.orders.failure } : {}),
        }
      : null,
  };
}

function masked(field: ContactField | undefined, mask: (value: string) => string): ContactField | undefined {
  if (!field || field.masked) return field;
  return { value: mask(field.value), masked: true };
}

const maskName = (name: string) => `${[...name][0] ?? ''}**`;

export function maskOrder(order: Order): Order {
  const { customer, shippingAddress } = order;
  return {
    ...order,
    customer: {
      ...customer,
      displayName: maskName(customer.displayName),
      ...(customer.email ? { email: masked(customer.email, maskEmail) } : {}),
      ...(customer.phone ? { phone: masked(customer.phone, maskPhone) } : {}),
    },
    ...(shippingAddress
      ? {
          shippingAddress: {
            ...shippingAddress,
            name: masked(shippingAddress.name, maskName)!,
            phone: masked(shippingAddress.phone, maskPhone)!,
            street: masked(shippingAddress.street, () => '****')!,
            ...(shippingAddress.postalCode ? { postalCode: '****' } : {}),
          },
        }
      : {}),
  };
}
