import { Alert, Button, Card, Empty, Flex, Input, List, Result, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { accessLink } from './portal-access.ts';
import {
  usePortalReply,
  usePortalTicket,
  usePortalTokens,
  type PortalStatus,
  type PortalTicket,
  type PortalTicketSummary,
} from './usePortal.ts';

const STATUS_COLOR: Record<PortalStatus, string> = {
  new: 'blue',
  open: 'blue',
  pending: 'gold',
  on_hold: 'gold',
  solved: 'green',
  closed: 'default',
};

/**
 * The customer's tickets from every token kept on this device (one per ticket opened here, or a link to all of
 * them): the list, the selected one's conversation (public only) and the answer box.
 */
export function PortalTickets({
  shop,
  tokens,
  onNew,
  onForget,
}: {
  shop: string;
  tokens: readonly string[];
  onNew: () => void;
  onForget: () => void;
}) {
  const { t } = useTranslation();
  const overviews = usePortalTokens(tokens);
  const [chosen, setSelected] = useState<string | null>(null);

  if (overviews.some((o) => o.isPending)) return <Spin />;
  const valid = overviews.flatMap((o) => (o.data ? [o.data] : []));
  if (!valid.length) {
    const failure = overviews.find((o) => o.error)?.error;
    if (failure instanceof ApiError && failure.status === 401) {
      return (
        <Result
          status="warning"
          title={failure.code === 'PORTAL_LINK_EXPIRED' ? t('portal.expired') : t('portal.invalid')}
          extra={
            <Button type="primary" onClick={onForget}>
              {t('portal.startOver')}
            </Button>
          }
        />
      );
    }
    return <Alert type="error" showIcon message={describeError(failure, t)} />;
  }

  // A ticket reachable through several tokens is listed once, under the newest token that covers it.
  const tokenOf = new Map<string, string>();
  const tickets: PortalTicketSummary[] = [];
  for (const overview of valid) {
    for (const ticket of overview.tickets) {
      if (tokenOf.has(ticket.id)) continue;
      tokenOf.set(ticket.id, overview.token);
      tickets.push(ticket);
    }
  }
  tickets.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const selected = (chosen && tokenOf.has(chosen) ? chosen : tickets[0]?.id) ?? null;
  const selectedToken = selected ? tokenOf.get(selected)! : valid[0]!.token;
  const session = valid.find((o) => o.token === selectedToken)?.session ?? valid[0]!.session;
  const link = accessLink(window.location.origin, shop, selectedToken);

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('portal.hello', { name: session.customer.name, shop: session.tenant.name })}
      </Typography.Title>
      <Alert
        type="info"
        message={t('portal.keepLink')}
        description={
          <Typography.Paragraph copyable={{ text: link }} style={{ margin: 0, wordBreak: 'break-all' }}>
            {t('portal.keepLinkHint', { date: dayjs(session.expiresAt).format('YYYY-MM-DD') })}
          </Typography.Paragraph>
        }
      />
      <Card
        title={t('portal.myTickets')}
        size="small"
        extra={<Button onClick={onNew}>{t('portal.newTicket')}</Button>}
      >
        <List
          dataSource={tickets}
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
      {selected && <TicketThread token={selectedToken} id={selected} />}
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
