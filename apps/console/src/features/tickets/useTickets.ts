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

export type QueueView = 'mine' | 'team' | 'unassigned' | 'all';

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
    all: { sort: '-createdAt' },
  };
  return {
    ...byView[filters.view],
    status: filters.status.length ? filters.status : undefined,
    priority: filters.priority.length ? filters.priority : undefined,
    q: filters.q.trim() || undefined,
    limit: '50',
  };
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
