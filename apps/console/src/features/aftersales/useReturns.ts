import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/** The returns API shapes (server: aftersales/returns.routes.ts). */
export const RETURN_STEPS = ['approved', 'return_shipped', 'received'] as const;

export interface TicketReturn {
  id: string;
  kind: 'return' | 'exchange';
  mode: 'shop_return' | 'cancel_refund';
  status: string;
  externalId: string | null;
  orderNumber: string;
  lines: { lineId: string; quantity: number }[];
  reason: string;
  note: string | null;
  history: { status: string; at: string }[];
  error: string | null;
  createdAt: string;
}

export interface ReturnsData {
  items: TicketReturn[];
  /** What the ticket's shop can carry (server: from its capabilities). */
  allowed: { return: boolean; exchange: boolean; coupon: boolean; points: boolean; storeCredit: boolean };
}

export interface NewReturn {
  kind: 'return' | 'exchange';
  lines: { lineId: string; quantity: number }[];
  reason: string;
  note?: string;
}

export const returnsKey = (ticketId: string) => ['tickets', 'returns', ticketId] as const;

export function useReturns(ticketId: string) {
  return useQuery({
    queryKey: returnsKey(ticketId),
    queryFn: () => api.get<ReturnsData>(`/api/v1/tickets/${ticketId}/returns`),
    staleTime: 15_000,
  });
}

export function useOpenReturn(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewReturn) => api.post<TicketReturn>(`/api/v1/tickets/${ticketId}/returns`, input),
    // The ticket (history, messages, status), its order and its returns all changed.
    onSettled: () => client.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** The steps a return of this kind goes through, for the progress display (pure). */
export function stepsOf(kind: 'return' | 'exchange', mode: 'shop_return' | 'cancel_refund'): string[] {
  if (mode === 'cancel_refund') return ['refunded'];
  return [...RETURN_STEPS, kind === 'exchange' ? 'exchange_shipped' : 'refunded'];
}

/** Units of each line the buyer still holds, less those in this ticket's open returns (as the server checks;
 * refunded units are in refundedQuantity already). */
export function heldUnits(
  lines: { externalId: string; quantity: number; refundedQuantity: number }[],
  returns: TicketReturn[],
): Map<string, number> {
  const held = new Map(lines.map((l) => [l.externalId, l.quantity - l.refundedQuantity]));
  for (const r of returns) {
    if (r.status === 'rejected' || r.status === 'closed' || r.status === 'refunded') continue;
    for (const l of r.lines) held.set(l.lineId, Math.max(0, (held.get(l.lineId) ?? 0) - l.quantity));
  }
  return held;
}
