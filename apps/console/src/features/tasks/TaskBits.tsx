import { Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Department, DueState, Task } from './useTasks.ts';

const DUE_COLOURS: Record<DueState, string | undefined> = {
  closed: undefined,
  ok: 'green',
  due_soon: 'orange',
  overdue: 'red',
  escalated: 'magenta',
};

/** The task's due state as a tag, with its due time. */
export function DueTag({ task }: { task: Pick<Task, 'dueState' | 'dueAt'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={DUE_COLOURS[task.dueState]} title={dayjs(task.dueAt).format('YYYY-MM-DD HH:mm')}>
      {t(`tasks.due.${task.dueState}`)} · {dayjs(task.dueAt).format('MM-DD HH:mm')}
    </Tag>
  );
}

export function StatusTag({ status }: { status: Task['status'] }) {
  const { t } = useTranslation();
  return <Tag>{t(`tasks.status.${status}`)}</Tag>;
}

export function departmentName(departments: readonly Department[] | undefined, id: string): string {
  return departments?.find((d) => d.id === id)?.name ?? '—';
}

/** A user's name when known, "me" for the caller, else a short id (roles without users:read). */
export function personName(
  id: string | null,
  names: ReadonlyMap<string, string> | undefined,
  meId: string | null,
  t: (key: string) => string,
): string {
  if (!id) return t('tasks.unowned');
  if (id === meId) return t('tasks.me');
  return names?.get(id) ?? `…${id.slice(-6)}`;
}
