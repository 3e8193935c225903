import { Alert, Button, Card, Empty, Flex, Input, List, Result, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { accessLink } from './portal-access.ts';
import {
  usePortalReply,
  usePortalSession,
  usePortalTicket,
  usePortalTickets,
  type PortalStatus,
  type PortalTicket,
} from './usePortal.ts';

const STATUS_COLOR: Record<PortalStatus, string> = {
  new: 'blue',
  open: 'blue',
  pending: 'gold',
  on_hold: 'gold',
  solved: 'green',
  closed: 'default',
};

/** The customer's tickets: the list, the selected one's conversation (public only) and the answer box. */
export function PortalTickets({
  shop,
  token,
  onNew,
  onForget,
}: {
  shop: string;
  token: string;
  onNew: () => void;
  onForget: () => void;
}) {
  const { t } = useTranslation();
  const session = usePortalSession(token);
  const tickets = usePortalTickets(token);
  const [chosen, setSelected] = useState<string | null>(null);
  const selected = chosen ?? tickets.data?.[0]?.id ?? null;

  if (session.error instanceof ApiError && session.error.status === 401) {
    return (
      <Result
        status="warning"
        title={session.error.code === 'PORTAL_LINK_EXPIRED' ? t('portal.expired') : t('portal.invalid')}
        extra={
          <Button type="primary" onClick={onForget}>
            {t('portal.startOver')}
          </Button>
        }
      />
    );
  }
  if (session.isPending || tickets.isPending) return <Spin />;
  if (session.error ?? tickets.error) {
    return <Alert type="error" showIcon message={describeError(session.error ?? tickets.error, t)} />;
  }

  const link = accessLink(window.location.origin, shop, token);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('portal.hello', { name: session.data.customer.name, shop: session.data.tenant.name })}
      </Typography.Title>
      <Alert
        type="info"
        message={t('portal.keepLink')}
        description={
          <Typography.Paragraph copyable={{ text: link }} style={{ margin: 0, wordBreak: 'break-all' }}>
            {t('portal.keepLinkHint', { date: dayjs(session.data.expiresAt).format('YYYY-MM-DD') })}
          </Typography.Paragraph>
        }
      />
      <Card
        title={t('portal.myTickets')}
        size="small"
        extra={<Button onClick={onNew}>{t('portal.newTicket')}</Button>}
      >
        <List
          dataSource={tickets.data}
          locale={{ emptyText: <Empty description={t('portal.noTickets')} /> }}
          renderItem={(ticket) => (
            <List.Item
              className={ticket.id === selected ? 'portal-ticket selected' : 'portal-ticket'}
              onClick={() => setSelected(ticket.id)}
              style={{ cursor: 'pointer' }}
            >
              <List.Item.Meta
                title={`#${ticket.number} ${ticket.subject}`}
                description={
                  <span>
                    <Tag color={STATUS_COLOR[ticket.status]}>{t(`portal.status.${ticket.status}`)}</Tag>
                    {ticket.orderNumber && t('portal.order', { number: ticket.orderNumber })}
                  </span>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      {selected && <TicketThread token={token} id={selected} />}
      <Button type="link" onClick={onForget}>
        {t('portal.forget')}
      </Button>
    </Flex>
  );
}

function TicketThread({ token, id }: { token: string; id: string }) {
  const { t } = useTranslation();
  const ticket = usePortalTicket(token, id);
  if (ticket.isPending) return <Spin />;
  if (ticket.error) return <Alert type="error" showIcon message={describeError(ticket.error, t)} />;
  return <Thread token={token} ticket={ticket.data} />;
}

function Thread({ token, ticket }: { token: string; ticket: PortalTicket }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const reply = usePortalReply(token, ticket.id);
  const closed = ticket.status === 'closed';

  return (
    <Card
      size="small"
      title={`#${ticket.number} ${ticket.subject}`}
      extra={<Tag color={STATUS_COLOR[ticket.status]}>{t(`portal.status.${ticket.status}`)}</Tag>}
      aria-label={t('portal.conversation')}
    >
      <ol className="portal-thread">
        {ticket.messages.map((message) => (
          <li key={message.id} className={`portal-message from-${message.authorType}`}>
            <div className="portal-message-meta">
              {message.authorType === 'customer' ? t('portal.you') : t('portal.support')} ·{' '}
              {dayjs(message.createdAt).format('MM-DD HH:mm')}
            </div>
            <div className="portal-message-body">{message.body}</div>
          </li>
        ))}
      </ol>
      {closed ? (
        <Alert type="info" message={t('portal.closed')} />
      ) : (
        <Flex vertical gap={8}>
          {reply.error && <Alert type="error" showIcon message={describeError(reply.error, t)} />}
          <Input.TextArea
            rows={3}
            value={text}
            aria-label={t('portal.reply')}
            placeholder={t('portal.replyPlaceholder')}
            onChange={(event) => setText(event.target.value)}
          />
          <Button
            type="primary"
            block
            disabled={!text.trim()}
            loading={reply.isPending}
            onClick={() => reply.mutate(text.trim(), { onSuccess: () => setText('') })}
          >
            {t('portal.send')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
