import { Alert, App, Card, Col, Descriptions, Empty, Row, Select, Space, Spin, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { PRIORITIES, STATUSES, type Priority, type Status, type TicketDetail } from '../../api/types.ts';
import { Composer } from './Composer.tsx';
import { Conversation } from './Conversation.tsx';
import { TicketHistory } from './TicketHistory.tsx';
import { SlaClocks } from './SlaClocks.tsx';
import { DueTime } from './TicketTags.tsx';
import { TicketTasksPanel } from '../tasks/TicketTasksPanel.tsx';
import { OrderPanel } from '../order/OrderPanel.tsx';
import { AfterSalesPanel } from '../aftersales/AfterSalesPanel.tsx';
import { useTicket, useUpdateTicket } from './useTickets.ts';

export function TicketView({ ticketId }: { ticketId: string | null }) {
  const { t } = useTranslation();
  const ticket = useTicket(ticketId);
  if (!ticketId) return <Empty description={t('ticket.select')} style={{ marginTop: 120 }} />;
  if (ticket.isPending) return <Spin style={{ display: 'block', marginTop: 120 }} />;
  if (ticket.isError) {
    const notFound = ticket.error instanceof ApiError && ticket.error.status === 404;
    return (
      <Alert
        type="error"
        showIcon
        message={notFound ? t('ticket.notFound') : describeError(ticket.error, t)}
      />
    );
  }
  return <TicketDetailView ticket={ticket.data} />;
}

function TicketDetailView({ ticket }: { ticket: TicketDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateTicket(ticket.id);
  const [tab, setTab] = useState('conversation');

  const change = (changes: { status?: Status; priority?: Priority }) =>
    update.mutate(
      { version: ticket.version, changes },
      {
        onSuccess: () => void message.success(t('ticket.updated')),
        onError: (error) => {
          // The detail query is refetched on settle, so the user sees the newer version at once.
          if (error instanceof ApiError && error.status === 412) void message.warning(t('ticket.stale'));
          else void message.error(describeError(error, t));
        },
      },
    );

  return (
    <Row gutter={24} wrap={false}>
      <Col flex="auto" style={{ minWidth: 0 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="ticket-subject">
          #{ticket.number} {ticket.subject}
        </Typography.Title>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select<Status>
            aria-label={t('queue.status')}
            value={ticket.status}
            style={{ width: 130 }}
            disabled={update.isPending}
            onChange={(status) => change({ status })}
            options={STATUSES.map((value) => ({ value, label: t(`status.${value}`) }))}
          />
          <Select<Priority>
            aria-label={t('queue.priority')}
            value={ticket.priority}
            style={{ width: 110 }}
            disabled={update.isPending}
            onChange={(priority) => change({ priority })}
            options={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`) }))}
          />
          <DueTime at={ticket.sla.nextDueAt} />
        </Space>
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'conversation',
              label: t('ticket.conversation'),
              children: (
                <>
                  <Conversation messages={ticket.messages} />
                  <Composer ticketId={ticket.id} />
                </>
              ),
            },
            {
              key: 'history',
              label: t('ticket.history'),
              children: <TicketHistory ticketId={ticket.id} active={tab === 'history'} />,
            },
          ]}
        />
      </Col>
      <Col flex="300px">
        <Card size="small" title={t('ticket.requester')}>
          {/* Values are shown exactly as the API returns them: masked for roles that must not see them. */}
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('ticket.name')}>{ticket.requester.name}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.email')}>{ticket.requester.email ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.phone')}>{ticket.requester.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.tier')}>{ticket.requester.tier}</Descriptions.Item>
            {ticket.requester.address && (
              <Descriptions.Item label={t('ticket.address')}>
                {Object.values(ticket.requester.address).filter(Boolean).join(' ')}
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>
        <Card size="small" style={{ marginTop: 12 }}>
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('ticket.order')}>{ticket.orderNumber ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.channel')}>{ticket.channel}</Descriptions.Item>
            <Descriptions.Item label={t('ticket.created')}>
              {dayjs(ticket.createdAt).format('YYYY-MM-DD HH:mm')}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <SlaClocks ticket={ticket} />
        <OrderPanel
          ticketId={ticket.id}
          actions={(order) => <AfterSalesPanel ticketId={ticket.id} order={order} />}
        />
        <TicketTasksPanel ticketId={ticket.id} />
      </Col>
    </Row>
  );
}
