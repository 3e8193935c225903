import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiClient } from '../../api/client.ts';

/** The portal speaks to /api/v1/portal with the customer's token in a header: no cookie, no CSRF. */
const portalApi = createApiClient({ csrfToken: () => undefined });
const TOKEN_HEADER = 'x-portal-token';

export type PortalStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';

export interface PortalMessage {
  id: string;
  authorType: 'customer' | 'agent' | 'system';
  body: string;
  createdAt: string;
}

export interface PortalTicketSummary {
  id: string;
  number: number;
  subject: string;
  status: PortalStatus;
  orderNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PortalTicket extends PortalTicketSummary {
  messages: PortalMessage[];
}

export interface PortalSession {
  tenant: { slug: string; name: string };
  customer: { name: string };
  scope: 'ticket' | 'customer';
  ticketId: string | null;
  expiresAt: string;
}

export interface OpenTicketInput {
  name: string;
  email?: string;
  phone?: string;
  subject: string;
  body: string;
  orderNumber?: string;
}

const headers = (token: string) => ({ [TOKEN_HEADER]: token });

export function useOpenTicket(shop: string) {
  return useMutation({
    mutationFn: async (input: OpenTicketInput) =>
      (
        await portalApi.send<{ accessToken: string; expiresAt: string; ticket: PortalTicket }>(
          `/api/v1/portal/${shop}/tickets`,
          { method: 'POST', body: input },
        )
      ).data,
  });
}

export function useRequestLink(shop: string) {
  return useMutation({
    mutationFn: (email: string) =>
      portalApi.send<null>(`/api/v1/portal/${shop}/access-links`, { method: 'POST', body: { email } }),
  });
}

/** Each kept token's session and tickets; a token that has expired or was never valid simply drops out. */
export function usePortalTokens(tokens: readonly string[]) {
  return useQueries({
    queries: tokens.map((token) => ({
      queryKey: ['portal', token, 'overview'],
      queryFn: async () => {
        const [session, tickets] = await Promise.all([
          portalApi.send<PortalSession>('/api/v1/portal/session', { headers: headers(token) }),
          portalApi.send<{ items: PortalTicketSummary[] }>('/api/v1/portal/requests', {
            headers: headers(token),
          }),
        ]);
        return { token, session: session.data, tickets: tickets.data.items };
      },
      retry: false,
    })),
  });
}

export function usePortalTicket(token: string | null, id: string | null) {
  return useQuery({
    queryKey: ['portal', token, 'ticket', id],
    queryFn: async () =>
      (await portalApi.send<PortalTicket>(`/api/v1/portal/requests/${id}`, { headers: headers(token!) }))
        .data,
    enabled: Boolean(token && id),
    // A customer waiting for an answer sees it arrive without reloading.
    refetchInterval: 30_000,
  });
}

export function usePortalReply(token: string, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: string) =>
      (
        await portalApi.send<PortalMessage>(`/api/v1/portal/requests/${id}/replies`, {
          method: 'POST',
          body: { body },
          headers: headers(token),
        })
      ).data,
    onSuccess: () => client.invalidateQueries({ queryKey: ['portal', token] }),
  });
}
