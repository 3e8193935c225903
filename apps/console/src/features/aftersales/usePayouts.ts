import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/** Price protection, compensation and approvals as the console reads them (server: aftersales.schemas.ts). */
export interface Payout {
  id: string;
  purpose: string;
  kind: string;
  amount: number;
  currency: string | null;
  reason: string;
  status: string;
  couponCode: string | null;
  createdAt: string;
}

export interface Approval {
  id: string;
  kind: string;
  status: string;
  amount: number;
  currency: string | null;
  reason: string;
  requestedBy: string | null;
}

export interface PriceProtection {
  ticketId: string;
  calculation: {
    outcome: string;
    orderNumber: string;
    payable: number;
    currency: string;
    lines: {
      lineId: string;
      title: string;
      quantity: number;
      paidUnitPrice: number;
      lowestPrice: number | null;
      payable: number;
      outcome: string;
    }[];
    calculatedAt: string;
  } | null;
  payouts: Payout[];
  pendingApproval: Approval | null;
}

export type CompensationKind = 'coupon' | 'points' | 'store_credit';

export interface CompensationResult {
  status: 'succeeded' | 'pending' | 'failed' | 'awaiting_approval';
  payout: Payout | null;
  approval: Approval | null;
}

export function usePriceProtection(ticketId: string) {
  return useQuery({
    queryKey: ['tickets', 'price-protection', ticketId],
    queryFn: () => api.get<PriceProtection>(`/api/v1/tickets/${ticketId}/price-protection`),
    staleTime: 15_000,
  });
}

export function useGrantCompensation(ticketId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { kind: CompensationKind; amount: number; reason: string; idempotencyKey: string }) =>
      api.post<CompensationResult>(`/api/v1/tickets/${ticketId}/compensations`, input),
    onSettled: () => client.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

export function useDecideApproval() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' }) =>
      api.post<unknown>(`/api/v1/approvals/${id}/${decision}`, {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** ¥12.34 for money in minor units, "120 积分/points" for points (pure). */
export function formatPayoutAmount(
  kind: string,
  amount: number,
  currency: string | null,
  pointsWord: string,
): string {
  if (kind === 'points') return `${amount} ${pointsWord}`;
  const major = (amount / 100).toFixed(2);
  return currency === 'CNY' || currency === null ? `¥${major}` : `${major} ${currency}`;
}

/** The amount the API takes: fen for money entered in yuan, a count for points (pure). */
export function compensationAmount(kind: CompensationKind, entered: number): number {
  return kind === 'points' ? Math.round(entered) : Math.round(entered * 100);
}
