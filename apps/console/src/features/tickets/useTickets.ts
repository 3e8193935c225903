import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  Message,
  Page,
  Priority,
  Status,
  TicketDetail,
  TicketEvent,
  TicketSummary,
} from '../../api/types.ts';

export type QueueView = 'mine' | 'team' | 'unassigned' | 'breaching' | 'all';

/** "Breaching soon": open tickets due within this long or overdue (the server's counts use the same). */
export const BREACHING_MS = 120 * 60_000;

export interface QueueFilters {
  view: QueueView;
  teamId?: string | undefined;
  status: Status[];
  priority: Priority[];
  q: string;
}

/** The list query for a queue view; the working queues are in SLA order, "all" newest first. */
export function queueQuery(filters: QueueFilters): Record<string, string | readonly string[] | undefined> {
  const byView: Record<QueueView, Record<string, string | undefined>> = {
    mine: { assigneeId: 'me', sort: 'nextDueAt' },
    team: { teamId: filters.teamId, sort: 'nextDueAt' },
    unassigned: { assigneeId: 'none', sort: 'nextDueAt' },
    breaching: { sort: 'nextDueAt' },
    all: { sort: '-createdAt' },
  };
  const working: Status[] = ['new', 'open'];
  return {
    ...byView[filters.view],
    status: filters.status.length ? filters.status : filters.view === 'breaching' ? working : undefined,
    priority: filters.priority.length ? filters.priority : undefined,
    q: filters.q.trim() || undefined,
    limit: '50',
  };
}

/**
 * The breaching view is the SLA-ordered queue cut at the horizon: keyset pages in due order, so once a page
 * ends past the horizon there is nothing more to fetch. Pure.
 */
export function cutAtHorizon(
  pages: ReadonlyArray<Page<TicketSummary>>,
  horizon: number,
): { items: TicketSummary[]; more: boolean } {
  const items = pages.flatMap((p) => p.items);
  const within = items.filter((t) => t.sla.nextDueAt !== null && Date.parse(t.sla.nextDueAt) <= horizon);
  const last = pages.at(-1);
  return { items: within, more: Boolean(last?.nextCursor) && within.length === items.length };
}

export function useTicketQueue(filters: QueueFilters) {
  return useInfiniteQuery({
    queryKey: ['tickets', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api
        .send<Page<TicketSummary>>('/api/v1/tickets', {
          query: { ...queueQuery(filters), cursor: pageParam ?? undefined },
          signal,
        })
        .then((r) => r.data),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: filters.view !== 'team' || Boolean(filters.teamId),
  });
}

export const ticketKey = (id: string) => ['tickets', 'detail', id] as const;

export function useTicket(id: string | null) {
  return useQuery({
    queryKey: ticketKey(id ?? ''),
    queryFn: () => api.get<TicketDetail>(`/api/v1/tickets/${id}`),
    enabled: id !== null,
  });
}

export function useTicketHistory(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['tickets', 'history', id],
    queryFn: () => api.get<{ items: TicketEvent[] }>(`/api/v1/tickets/${id}/history`),
    enabled,
  });
}

export function useAddMessage(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { body: string; visibility: 'public' | 'internal' }) =>
      api.post<Message>(`/api/v1/tickets/${id}/messages`, input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tickets'] }),
  });
}

/** PATCH with If-Match = the version we showed; a 412 means someone else changed it first. */
export function useUpdateTicket(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { version: number; changes: { status?: Status; priority?: Priority } }) =>
      api
        .send<TicketSummary>(`/api/v1/tickets/${id}`, {
          method: 'PATCH',
          body: input.changes,
          headers: { 'if-match': `"${input.version}"` },
        })
        .then((r) => r.data),
    onSettled: () => client.invalidateQueries({ queryKey: ['tickets'] }),
  });
}
