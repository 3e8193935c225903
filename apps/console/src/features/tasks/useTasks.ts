import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';

/** The department-task API shapes the console reads (from the server's task.schemas.ts). */
export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Roles that may ask a department for something (tasks:create on the server); they may also cancel. */
export const TASK_CREATORS: ReadonlySet<string> = new Set([
  'admin',
  'supervisor',
  'agent',
  'outsourced_agent',
]);

export type DueState = 'closed' | 'ok' | 'due_soon' | 'overdue' | 'escalated';

export interface Department {
  id: string;
  name: string;
  kind: string;
  leadId: string | null;
  memberIds: string[];
  olaMinutes: number;
  isActive: boolean;
}

export interface Task {
  id: string;
  ticket: { id: string; number: number; subject: string; status: string };
  departmentId: string;
  title: string;
  description: string;
  status: TaskStatus;
  ownerId: string | null;
  dueAt: string;
  dueState: DueState;
  escalatedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  version: number;
}

export interface TaskMessage {
  id: string;
  authorType: string;
  authorId: string | null;
  body: string;
  createdAt: string;
}

export interface QueueFilter {
  departmentId?: string | undefined;
  status: TaskStatus[];
  mine: boolean;
  /** Only tasks escalated past their OLA (the lead's view). */
  escalated?: boolean;
}

export function isOpenTask(task: Pick<Task, 'status'>): boolean {
  return task.status === 'open' || task.status === 'in_progress';
}

/** The query string of a queue filter (repeated status, mine only when set); pure. */
export function queueQuery(filter: QueueFilter, cursor?: string | null) {
  return {
    departmentId: filter.departmentId,
    status: filter.status.length ? filter.status : undefined,
    mine: filter.mine ? 'true' : undefined,
    escalated: filter.escalated ? 'true' : undefined,
    limit: '50',
    cursor: cursor ?? undefined,
  };
}

export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: () => api.get<{ items: Department[] }>('/api/v1/departments').then((r) => r.items),
    staleTime: 60_000,
  });
}

/** Names of users for owners and authors; only roles that may read users get them (others see ids). */
export function useUserNames(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'names'],
    queryFn: () =>
      api
        .get<Page<{ id: string; name: string }>>('/api/v1/users', { limit: 200 })
        .then((r) => new Map(r.items.map((u) => [u.id, u.name]))),
    enabled,
    staleTime: 60_000,
  });
}

const ticketTasksKey = (ticketId: string) => ['tasks', 'ticket', ticketId] as const;

export function useTicketTasks(ticketId: string) {
  return useQuery({
    queryKey: ticketTasksKey(ticketId),
    queryFn: () => api.get<{ items: Task[] }>(`/api/v1/tickets/${ticketId}/tasks`).then((r) => r.items),
  });
}

export function useTaskQueue(filter: QueueFilter) {
  return useInfiniteQuery({
    queryKey: ['tasks', 'queue', filter],
    queryFn: ({ pageParam, signal }) =>
      api
        .send<Page<Task>>('/api/v1/tasks', { query: queueQuery(filter, pageParam), signal })
        .then((r) => r.data),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Every task write refreshes task lists and the ticket (a closed last task can reopen it). */
function useTaskWrite<V, R>(run: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['tasks'] });
      await client.invalidateQueries({ queryKey: ['tickets'] });
    },
  });
}

export function useCreateTask(ticketId: string) {
  return useTaskWrite((body: { departmentId: string; title: string; description?: string }) =>
    api.post<Task>(`/api/v1/tickets/${ticketId}/tasks`, body),
  );
}

export function useChangeTask(taskId: string) {
  return useTaskWrite((change: { status?: TaskStatus; ownerId?: string | null }) =>
    api.send<Task>(`/api/v1/tasks/${taskId}`, { method: 'PATCH', body: change }).then((r) => r.data),
  );
}

export function useClaimTask(taskId: string) {
  return useTaskWrite(() => api.post<Task>(`/api/v1/tasks/${taskId}/claim`));
}

const threadKey = (taskId: string) => ['tasks', 'thread', taskId] as const;

export function useTaskThread(taskId: string | null) {
  return useQuery({
    queryKey: threadKey(taskId ?? ''),
    queryFn: () =>
      api.get<Page<TaskMessage>>(`/api/v1/tasks/${taskId}/messages`, { limit: 200 }).then((r) => r.items),
    enabled: Boolean(taskId),
  });
}

export function usePostTaskMessage(taskId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api.post<TaskMessage>(`/api/v1/tasks/${taskId}/messages`, { body }),
    onSuccess: () => client.invalidateQueries({ queryKey: threadKey(taskId) }),
  });
}
