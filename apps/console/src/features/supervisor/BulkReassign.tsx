import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, App, Button, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import type { Page, TicketSummary } from '../../api/types.ts';
import { useLive } from '../live/LiveProvider.tsx';
import { DueTime, PriorityTag, StatusTag } from '../tickets/TicketTags.tsx';
import { useBulkReassign, useTeams, type BulkResult, type FloorAgent } from './useFloor.ts';

const UNASSIGN = '__none__';

/** Unfinished tickets, newest first (new ones appear live); select some, pick an agent and/or a team, reassign them in one request. */
export function BulkReassign({ agents }: { agents: FloorAgent[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [selected, setSelected] = useState<string[]>([]);
  const [assignee, setAssignee] = useState<string | undefined>();
  const [team, setTeam] = useState<string | undefined>();
  const [result, setResult] = useState<BulkResult | null>(null);
  const teams = useTeams();
  const bulk = useBulkReassign();
  const list = useInfiniteQuery({
    queryKey: ['tickets', 'list', 'supervisor-open'],
    queryFn: ({ pageParam }) =>
      api.get<Page<TicketSummary>>('/api/v1/tickets', {
        sort: '-createdAt',
        status: ['new', 'open', 'pending', 'on_hold'],
        limit: '100',
        cursor: pageParam ?? undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const tickets = list.data?.pages.flatMap((p) => p.items) ?? [];
  const live = useLive();
  const { refetch } = list;
  // A new ticket belongs at the top of this list at once (other changes refresh it through LiveProvider).
  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type === 'ticket.created') void refetch();
      }),
    [live, refetch],
  );
  const names = new Map(agents.map((a) => [a.id, a.name]));

  const apply = () => {
    const input: { ticketIds: string[]; assigneeId?: string | null; teamId?: string } = {
      ticketIds: selected,
    };
    if (assignee !== undefined) input.assigneeId = assignee === UNASSIGN ? null : assignee;
    if (team !== undefined) input.teamId = team;
    bulk.mutate(input, {
      onSuccess: (r) => {
        setResult(r);
        setSelected([]);
      },
      onError: (error) => void message.error(describeError(error, t)),
    });
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('supervisor.selected', { count: selected.length })}</Typography.Text>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: 180 }}
          placeholder={t('supervisor.toAgent')}
          aria-label={t('supervisor.toAgent')}
          value={assignee}
          onChange={setAssignee}
          options={[
            { value: UNASSIGN, label: t('supervisor.unassign') },
            ...agents.map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('supervisor.toTeam')}
          aria-label={t('supervisor.toTeam')}
          value={team}
          onChange={setTeam}
          options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
        />
        <Button
          type="primary"
          disabled={!selected.length || (assignee === undefined && team === undefined)}
          loading={bulk.isPending}
          onClick={apply}
        >
          {t('supervisor.reassign')}
        </Button>
      </Space>
      {result && (
        <Alert
          closable
          onClose={() => setResult(null)}
          type={result.summary.failed ? 'warning' : 'success'}
          message={t('supervisor.bulkResult', result.summary)}
        />
      )}
      <Table<TicketSummary>
        size="small"
        rowKey="id"
        virtual
        scroll={{ y: 320 }}
        pagination={false}
        loading={list.isPending}
        dataSource={tickets}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        onScroll={(event) => {
          const el = event.currentTarget;
          if (
            list.hasNextPage &&
            !list.isFetchingNextPage &&
            el.scrollHeight - el.scrollTop - el.clientHeight < 200
          )
            void list.fetchNextPage();
        }}
        columns={[
          { title: '#', dataIndex: 'number', width: 80 },
          { title: t('supervisor.subject'), dataIndex: 'subject', ellipsis: true },
          { title: t('queue.status'), width: 100, render: (_, x) => <StatusTag status={x.status} /> },
          { title: t('queue.priority'), width: 90, render: (_, x) => <PriorityTag priority={x.priority} /> },
          {
            title: t('supervisor.assignee'),
            width: 130,
            render: (_, x) => (x.assigneeId ? (names.get(x.assigneeId) ?? '…') : t('queue.unassigned')),
          },
          { title: t('queue.due'), width: 150, render: (_, x) => <DueTime at={x.sla.nextDueAt} /> },
        ]}
      />
    </Space>
  );
}
