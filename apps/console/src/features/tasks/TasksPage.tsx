import { Button, Checkbox, Layout, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/LoadError.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { DueTag, StatusTag, departmentName, personName } from './TaskBits.tsx';
import { TaskThread } from './TaskThread.tsx';
import {
  TASK_STATUSES,
  useDepartments,
  useTaskQueue,
  useUserNames,
  type QueueFilter,
  type Task,
  type TaskStatus,
} from './useTasks.ts';

/**
 * A department's queue (`#/tasks`): the tasks the caller may see, by department, status and "mine", newest
 * first with "load more" over the server's keyset pages; a row opens the task's thread.
 */
export function TasksPage({ me }: { me: { role: string; userId: string | null } }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const names = useUserNames(me.role !== 'collaborator');
  const [filter, setFilter] = useState<QueueFilter>({ status: ['open', 'in_progress'], mine: false });
  const queue = useTaskQueue(filter);
  const [opened, setOpened] = useState<Task | null>(null);
  const rows = queue.data?.pages.flatMap((p) => p.items) ?? [];
  // The drawer keeps the task it opened when a refresh drops it from this list (done in an open queue).
  const selected = opened ? (rows.find((task) => task.id === opened.id) ?? opened) : null;

  return (
    <Layout style={{ height: '100vh' }}>
      <Layout.Header className="workspace-header">
        <span className="title">{t('tasks.pageTitle')}</span>
        <a href="#/">{t('tasks.backToTickets')}</a>
        <LanguageSwitch />
      </Layout.Header>
      <Layout.Content style={{ padding: 16, overflow: 'auto' }}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            aria-label={t('tasks.department')}
            allowClear
            placeholder={t('tasks.allDepartments')}
            style={{ width: 220 }}
            value={filter.departmentId}
            onChange={(departmentId?: string) => setFilter({ ...filter, departmentId })}
            options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
          />
          <Select<TaskStatus[]>
            aria-label={t('tasks.statusLabel')}
            mode="multiple"
            style={{ minWidth: 260 }}
            value={filter.status}
            onChange={(status) => setFilter({ ...filter, status })}
            options={TASK_STATUSES.map((s) => ({ value: s, label: t(`tasks.status.${s}`) }))}
          />
          <Checkbox checked={filter.mine} onChange={(e) => setFilter({ ...filter, mine: e.target.checked })}>
            {t('tasks.mine')}
          </Checkbox>
          <Checkbox
            checked={filter.escalated ?? false}
            onChange={(e) => setFilter({ ...filter, escalated: e.target.checked })}
          >
            {t('tasks.escalatedOnly')}
          </Checkbox>
        </Space>
        {queue.isError && (
          <LoadError error={queue.error} onRetry={() => void queue.refetch()} isRetrying={queue.isFetching} />
        )}
        <Table<Task>
          rowKey="id"
          size="small"
          loading={queue.isPending}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('tasks.emptyQueue') }}
          onRow={(task) => ({ onClick: () => setOpened(task), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('tasks.title'), dataIndex: 'title', ellipsis: true },
            {
              title: t('tasks.ticket'),
              render: (_, task) => (
                <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                  #{task.ticket.number} {task.ticket.subject}
                </Typography.Text>
              ),
            },
            {
              title: t('tasks.department'),
              render: (_, task) => departmentName(departments.data, task.departmentId),
            },
            {
              title: t('tasks.owner'),
              render: (_, task) => personName(task.ownerId, names.data, me.userId, t),
            },
            { title: t('tasks.statusLabel'), render: (_, task) => <StatusTag status={task.status} /> },
            { title: t('tasks.dueAt'), render: (_, task) => <DueTag task={task} /> },
          ]}
        />
        {queue.hasNextPage && (
          <Button
            style={{ marginTop: 12 }}
            onClick={() => void queue.fetchNextPage()}
            loading={queue.isFetchingNextPage}
          >
            {t('tasks.loadMore')}
          </Button>
        )}
        <TaskThread task={selected} meId={me.userId} names={names.data} onClose={() => setOpened(null)} />
      </Layout.Content>
    </Layout>
  );
}
