import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

export interface QueueCounts {
  mine: number | null;
  team: number | null;
  unassigned: number;
  breaching: number;
  cap: number;
}

/** The queue badges (GET /api/v1/queues/counts); live events invalidate ['queues']. */
export function useQueueCounts(teamId: string | undefined) {
  return useQuery({
    queryKey: ['queues', 'counts', teamId ?? null],
    queryFn: () => api.get<QueueCounts>('/api/v1/queues/counts', { teamId }),
    staleTime: 5_000,
  });
}

/** "1000+" at the cap, the number otherwise; nothing when unknown. */
export function formatCount(value: number | null | undefined, cap: number): string {
  if (value === null || value === undefined) return '';
  return value >= cap ? `${cap}+` : String(value);
}
