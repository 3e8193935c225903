import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/** The order panel shapes the console reads (server: shops/order-panel.presenter.ts, @peakdesk/commerce types). */
export interface Money {
  amountMinor: number;
  currency: string;
}

export interface OrderLine {
  externalId: string;
  sku: string;
  title: string;
  variant?: string;
  quantity: number;
  paidUnitPrice: Money;
  total: Money;
  refundedQuantity: number;
}

export interface Refund {
  externalId: string;
  amount: Money;
  reason: string;
  status: string;
  createdAt: string;
}

export interface Payment {
  externalId: string;
  method: string;
  amount: Money;
  status: string;
  paidAt?: string;
  refunds: Refund[];
}

export interface TrackingEvent {
  occurredAt: string;
  kind: string;
  description: string;
  location?: string;
}

export interface Shipment {
  externalId: string;
  carrierName: string;
  trackingNumber: string;
  status: string;
  shippedAt?: string;
  deliveredAt?: string;
  events: TrackingEvent[];
}

export interface AfterSale {
  externalId: string;
  kind: string;
  status: string;
  reason: string;
  lines: { orderLineId: string; quantity: number }[];
  createdAt: string;
}

export interface Order {
  externalId: string;
  orderNumber: string;
  status: string;
  rawStatus: string;
  currency: string;
  createdAt: string;
  paidAt?: string;
  lines: OrderLine[];
  totals: { subtotal: Money; discount: Money; shipping: Money; total: Money; paid: Money; refunded: Money };
  payments: Payment[];
  shipments: Shipment[];
  afterSales: AfterSale[];
}

export type OrderPanelState = 'ok' | 'stale' | 'not_linked' | 'no_shop' | 'not_found' | 'unavailable';

export interface OrderPanelData {
  ticketId: string;
  orderNumber: string | null;
  state: OrderPanelState;
  connection: { id: string; name: string; kind: string } | null;
  order: Order | null;
  stale: boolean;
  ageSeconds: number | null;
  failure?: { code: string; message: string };
}

export interface CustomerContext {
  customer: { id: string; name: string };
  tickets: { id: string; number: number; subject: string; status: string; orderNumber: string | null }[];
  orders: {
    items: { externalId: string; orderNumber: string; status: string; total: Money; createdAt: string }[];
    stale: boolean;
  } | null;
}

export const orderKey = (ticketId: string) => ['tickets', 'order', ticketId] as const;

export function useOrderPanel(ticketId: string) {
  return useQuery({
    queryKey: orderKey(ticketId),
    queryFn: () => api.get<OrderPanelData>(`/api/v1/tickets/${ticketId}/order`),
    staleTime: 15_000,
  });
}

export function useCustomerContext(ticketId: string) {
  return useQuery({
    queryKey: ['tickets', 'customer-context', ticketId],
    queryFn: () => api.get<CustomerContext>(`/api/v1/tickets/${ticketId}/customer-context`),
    staleTime: 30_000,
  });
}

/** ¥12.34 for CNY, "12.34 USD" otherwise (minor units, two decimals). */
export function formatMoney(money: Money | undefined): string {
  if (!money) return '—';
  const major = (money.amountMinor / 100).toFixed(2);
  return money.currency === 'CNY' ? `¥${major}` : `${major} ${money.currency}`;
}

/** "5 min", "3 h", "2 d" for a snapshot's age in seconds. */
export function formatAge(seconds: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  if (seconds < 3600) return { unit: 'minutes', count: Math.max(1, Math.round(seconds / 60)) };
  if (seconds < 86_400) return { unit: 'hours', count: Math.round(seconds / 3600) };
  return { unit: 'days', count: Math.round(seconds / 86_400) };
}
