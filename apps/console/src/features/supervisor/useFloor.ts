import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export interface Duration {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface FloorAgent {
  id: string;
  name: string;
  role: string;
  presence: 'online' | 'away' | 'offline';
  capacity: number;
  load: number;
}

export interface Floor {
  generatedAt: string;
  timeZone: string;
  arrivals: { minutes: string[]; series: Array<{ category: string; counts: number[] }> };
  backlog: Array<{
    teamId: string | null;
    teamName: string | null;
    open: number;
    unassigned: number;
    waiting: number;
    atRisk: number;
    breached: number;
  }>;
  sla: { atRisk: number; breached: number };
  agents: FloorAgent[];
  agentsOnline: number;
  firstResponse: Duration;
  resolution: Duration;
}

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';

/**
 * GET /api/v1/stats/floor. Live events invalidate ['floor'] at once; the server caches the numbers 5 s per
 * tenant, so a 5 s poll as well keeps them current at the cost of one computation per tenant, not per page.
 */
export function useFloor() {
  return useQuery({
    queryKey: ['floor'],
    queryFn: () => api.get<Floor>('/api/v1/stats/floor', { timeZone: timeZone() }),
    refetchInterval: 5_000,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams', 'all'],
    queryFn: () => api.get<{ items: Array<{ id: string; name: string }> }>('/api/v1/teams', { limit: '200' }),
    staleTime: 60_000,
  });
}

/** A supervisor changes an agent's presence or capacity; the floor refetches. */
export function useUpdateAgent() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; presence?: FloorAgent['presence']; capacity?: number }) =>
      input.presence !== undefined
        ? api.send(`/api/v1/users/${input.id}/presence`, {
            method: 'PATCH',
            body: { presence: input.presence },
          })
        : api.send(`/api/v1/users/${input.id}`, { method: 'PATCH', body: { capacity: input.capacity } }),
    onSettled: () => client.invalidateQueries({ queryKey: ['floor'] }),
  });
}

export interface BulkResult {
  results: Array<{ id: string; status: 'updated' | 'unchanged' | 'failed'; error?: { code: string } }>;
  summary: { updated: number; unchanged: number; failed: number };
}

export function useBulkReassign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { ticketIds: string[]; assigneeId?: string | null; teamId?: string | null }) =>
      api.post<BulkResult>('/api/v1/tickets/bulk', input),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ['tickets'] });
      void client.invalidateQueries({ queryKey: ['floor'] });
    },
  });
}

/** Seconds → "4m 10s" / "2h 05m"; pure. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
