import { Alert, Button, Empty, Input, List, Select, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { PRIORITIES, STATUSES, type Me, type Priority, type Status } from '../../api/types.ts';
import { DueTime, PriorityTag, StatusTag } from './TicketTags.tsx';
import { useTicketQueue, type QueueView } from './useTickets.ts';

interface Props {
  me: Me;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function TicketQueue({ me, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const [view, setView] = useState<QueueView>('mine');
  const [status, setStatus] = useState<Status[]>([]);
  const [priority, setPriority] = useState<Priority[]>([]);
  const [q, setQ] = useState('');
  const teamId = me.teamIds[0];
  const queue = useTicketQueue({ view, teamId, status, priority, q });
  const tickets = queue.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="queue" aria-label={t('app.title')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Segmented<QueueView>
          block
          value={view}
          onChange={setView}
          options={[
            { value: 'mine', label: t('queue.mine') },
            { value: 'team', label: t('queue.team'), disabled: !teamId },
            { value: 'unassigned', label: t('queue.unassigned') },
            { value: 'all', label: t('queue.all') },
          ]}
        />
        <Input.Search
          allowClear
          placeholder={t('queue.search')}
          aria-label={t('queue.search')}
          onSearch={setQ}
        />
        <Space.Compact block>
          <Select<Status[]>
            mode="multiple"
            allowClear
            style={{ width: '50%' }}
            placeholder={t('queue.status')}
            aria-label={t('queue.status')}
            value={status}
            onChange={setStatus}
            options={STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
          />
          <Select<Priority[]>
            mode="multiple"
            allowClear
            style={{ width: '50%' }}
            placeholder={t('queue.priority')}
            aria-label={t('queue.priority')}
            value={priority}
            onChange={setPriority}
            options={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`) }))}
          />
        </Space.Compact>
        {queue.isError && <Alert type="error" showIcon message={describeError(queue.error, t)} />}
        <List
          loading={queue.isPending && queue.fetchStatus !== 'idle'}
          dataSource={tickets}
          locale={{ emptyText: <Empty description={t('queue.empty')} /> }}
          rowKey="id"
          renderItem={(ticket) => (
            <List.Item
              className={`queue-item${ticket.id === selectedId ? ' selected' : ''}`}
              data-ticket-id={ticket.id}
              onClick={() => onSelect(ticket.id)}
            >
              <div style={{ width: '100%' }}>
                <Typography.Text strong ellipsis style={{ display: 'block' }}>
                  #{ticket.number} {ticket.subject}
                </Typography.Text>
                <Space size={4} wrap>
                  <StatusTag status={ticket.status} />
                  <PriorityTag priority={ticket.priority} />
                  {ticket.category && (
                    <Typography.Text type="secondary">{t(`category.${ticket.category}`)}</Typography.Text>
                  )}
                  <DueTime at={ticket.sla.nextDueAt} />
                </Space>
              </div>
            </List.Item>
          )}
        />
        {queue.hasNextPage && (
          <Button block onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
            {t('queue.loadMore')}
          </Button>
        )}
      </Space>
    </div>
  );
}
