import { Badge, Button, Empty, Input, Select, Segmented, Space, Table, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../components/LoadError.tsx';
import {
  PRIORITIES,
  STATUSES,
  type Me,
  type Priority,
  type Status,
  type TicketSummary,
} from '../../api/types.ts';
import { newForQueue } from '../live/live-events.ts';
import { useLive } from '../live/LiveProvider.tsx';
import { ShortcutHelp } from '../workspace/ShortcutHelp.tsx';
import { shortcutFor } from '../workspace/shortcuts.ts';
import { useNextTicket } from '../workspace/useNextTicket.ts';
import { formatCount, useQueueCounts } from '../workspace/useQueueCounts.ts';
import { DueTime, PriorityTag, StatusTag } from './TicketTags.tsx';
import { BREACHING_MS, cutAtHorizon, useTicketQueue, type QueueView } from './useTickets.ts';

interface Props {
  me: Me;
  selectedId: string | null;
  onSelect: (id: string) => void;
}

const ROW_HEIGHT = 64;

/**
 * The agent's queues. Server keyset pages feed an antd virtual table (only the visible rows are in the
 * DOM, so 100,000 loaded rows scroll as smoothly as 50); the next page loads as the end comes into view.
 * Live: new tickets for this view show as "N new" instead of shifting the list under the cursor.
 * Keys: j/k move the cursor, Enter opens, n takes the next ticket, r replies, ? lists them.
 */
export function TicketQueue({ me, selectedId, onSelect }: Props) {
  const { t } = useTranslation();
  const live = useLive();
  const [view, setView] = useState<QueueView>('mine');
  const [status, setStatus] = useState<Status[]>([]);
  const [priority, setPriority] = useState<Priority[]>([]);
  const [q, setQ] = useState('');
  const [fresh, setFresh] = useState(0);
  const [cursor, setCursor] = useState(0);
  const [help, setHelp] = useState(false);
  const [height, setHeight] = useState(400);
  const box = useRef<HTMLDivElement>(null);
  const table = useRef<{ scrollTo: (config: { index: number }) => void }>(null);
  const teamId = me.teamIds[0];
  const queue = useTicketQueue({ view, teamId, status, priority, q });
  const counts = useQueueCounts(teamId);
  const next = useNextTicket(onSelect);

  const [horizon, setHorizon] = useState(() => Date.now() + BREACHING_MS);
  useEffect(() => {
    const timer = setInterval(() => setHorizon(Date.now() + BREACHING_MS), 30_000);
    return () => clearInterval(timer);
  }, []);
  const { items: tickets, more } = useMemo(() => {
    const pages = queue.data?.pages ?? [];
    if (view === 'breaching') return cutAtHorizon(pages, horizon);
    return { items: pages.flatMap((p) => p.items), more: Boolean(queue.hasNextPage) };
  }, [queue.data, queue.hasNextPage, view, horizon]);

  useEffect(
    () =>
      live.subscribe((event) => {
        const n = newForQueue(event, { view, userId: me.userId, teamId });
        if (n) setFresh((f) => f + n);
      }),
    [live, view, me.userId, teamId],
  );

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(Math.max(200, element.clientHeight)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A KeyboardEvent's fields are prototype getters: a spread would copy none of them.
      const action = shortcutFor({
        key: event.key,
        ctrlKey: event.ctrlKey,
        altKey: event.altKey,
        metaKey: event.metaKey,
        target: event.target as HTMLElement | null,
      });
      if (!action) return;
      const at = cursor;
      const rows = tickets;
      const move = (to: number) => {
        const index = Math.max(0, Math.min(rows.length - 1, to));
        setCursor(index);
        table.current?.scrollTo({ index });
      };
      if (action === 'down') move(at + 1);
      else if (action === 'up') move(at - 1);
      else if (action === 'open' && rows[at]) onSelect(rows[at].id);
      else if (action === 'next') next.mutate();
      else if (action === 'help') setHelp(true);
      else if (action === 'reply') document.querySelector<HTMLTextAreaElement>('#reply-composer')?.focus();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cursor, tickets, next, onSelect]);

  const label = (key: string, count: number | null | undefined) => (
    <span>
      {t(`queue.${key}`)}{' '}
      <Typography.Text type="secondary" data-testid={`count-${key}`}>
        {formatCount(count, counts.data?.cap ?? 1000)}
      </Typography.Text>
    </span>
  );

  return (
    <div className="queue" aria-label={t('workspace.queues')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Button type="primary" onClick={() => next.mutate()} loading={next.isPending}>
            {t('workspace.nextTicket')}
          </Button>
          <Space size={4}>
            <Badge status={live.status === 'open' ? 'success' : 'warning'} />
            <Typography.Text type="secondary">{t(`live.${live.status}`)}</Typography.Text>
            <Button
              size="small"
              type="text"
              aria-label={t('workspace.shortcuts.title')}
              onClick={() => setHelp(true)}
            >
              ?
            </Button>
          </Space>
        </Space>
        <Segmented<QueueView>
          className="queue-views"
          size="small"
          value={view}
          onChange={(v) => {
            setView(v);
            setCursor(0);
            setFresh(0);
          }}
          options={[
            { value: 'mine', label: label('mine', counts.data?.mine) },
            { value: 'team', label: label('team', counts.data?.team), disabled: !teamId },
            { value: 'unassigned', label: label('unassigned', counts.data?.unassigned) },
            { value: 'breaching', label: label('breaching', counts.data?.breaching) },
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
        {fresh > 0 && (
          <Button
            block
            size="small"
            className="new-tickets"
            data-testid="new-tickets"
            onClick={() => {
              setFresh(0);
              void queue.refetch();
            }}
          >
            {t('live.newTickets', { count: fresh })}
          </Button>
        )}
        {queue.isError && (
          <LoadError error={queue.error} onRetry={() => void queue.refetch()} isRetrying={queue.isFetching} />
        )}
      </Space>
      <div ref={box} className="queue-list">
        <Table<TicketSummary>
          ref={table as never}
          virtual
          size="small"
          showHeader={false}
          pagination={false}
          rowKey="id"
          scroll={{ y: height }}
          loading={queue.isPending && queue.fetchStatus !== 'idle'}
          dataSource={tickets}
          locale={{ emptyText: <Empty description={t('queue.empty')} /> }}
          onRow={(ticket, index) =>
            ({
              onClick: () => {
                setCursor(index ?? 0);
                onSelect(ticket.id);
              },
              className: [
                'queue-item',
                ticket.id === selectedId ? 'selected' : '',
                index === cursor ? 'cursor' : '',
              ].join(' '),
              'data-ticket-id': ticket.id,
            }) as React.HTMLAttributes<HTMLElement>
          }
          onScroll={(event) => {
            const el = event.currentTarget;
            if (
              more &&
              !queue.isFetchingNextPage &&
              el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 5
            )
              void queue.fetchNextPage();
          }}
          columns={[{ key: 'ticket', render: (_, ticket) => <QueueRow ticket={ticket} /> }]}
        />
        {more && (
          <Button
            block
            size="small"
            onClick={() => void queue.fetchNextPage()}
            loading={queue.isFetchingNextPage}
          >
            {t('queue.loadMore')}
          </Button>
        )}
      </div>
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </div>
  );
}

function QueueRow({ ticket }: { ticket: TicketSummary }) {
  const { t } = useTranslation();
  return (
    <div style={{ height: ROW_HEIGHT - 16, overflow: 'hidden' }}>
      <Typography.Text strong ellipsis style={{ display: 'block' }}>
        #{ticket.number} {ticket.subject}
      </Typography.Text>
      <Space size={4}>
        <StatusTag status={ticket.status} />
        <PriorityTag priority={ticket.priority} />
        {ticket.category && (
          <Typography.Text type="secondary" ellipsis style={{ maxWidth: 110 }}>
            {t(`category.${ticket.category}`)}
          </Typography.Text>
        )}
        <DueTime at={ticket.sla.nextDueAt} />
      </Space>
    </div>
  );
}
