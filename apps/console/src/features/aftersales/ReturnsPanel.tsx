import { Alert, Button, Divider, Space, Steps, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { useMe } from '../../auth/useSession.ts';
import type { Order } from '../order/useOrder.ts';
import { ReturnDialog } from './ReturnDialog.tsx';
import { stepsOf, useReturns, type TicketReturn } from './useReturns.ts';

/**
 * The ticket's returns and exchanges with their progress, and the buttons to open one — shown only when the
 * user may change the ticket (tickets:update from /auth/me) and the shop's capabilities carry that kind.
 */
export function ReturnsPanel({ ticketId, order }: { ticketId: string; order: Order }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const returns = useReturns(ticketId);
  const [opening, setOpening] = useState<'return' | 'exchange' | null>(null);
  const mayUpdate = me?.permissions ? me.permissions.includes('tickets:update') : me?.role !== 'collaborator';
  const allowed = returns.data?.allowed ?? { return: false, exchange: false };
  const items = returns.data?.items ?? [];

  return (
    <div data-testid="returns-panel">
      <Divider style={{ margin: '8px 0' }} />
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong>{t('aftersales.returnsTitle', { count: items.length })}</Typography.Text>
        {mayUpdate && (
          <Space size={4}>
            {allowed.return && (
              <Button size="small" onClick={() => setOpening('return')}>
                {t('aftersales.openReturn')}
              </Button>
            )}
            {allowed.exchange && (
              <Button size="small" onClick={() => setOpening('exchange')}>
                {t('aftersales.openExchange')}
              </Button>
            )}
          </Space>
        )}
      </Space>
      {returns.isError && <Alert type="error" message={describeError(returns.error, t)} />}
      {items.map((r) => (
        <ReturnProgress key={r.id} item={r} order={order} />
      ))}
      {opening && (
        <ReturnDialog
          ticketId={ticketId}
          kind={opening}
          order={order}
          returns={items}
          onClose={() => setOpening(null)}
        />
      )}
    </div>
  );
}

function ReturnProgress({ item, order }: { item: TicketReturn; order: Order }) {
  const { t } = useTranslation();
  const steps = stepsOf(item.kind, item.mode);
  const reached = new Map(item.history.map((h) => [h.status, h.at]));
  const current = steps.reduce((last, step, i) => (reached.has(step) ? i : last), -1);
  const ended = item.status === 'rejected' || item.status === 'closed';
  const title = (lineId: string) => order.lines.find((l) => l.externalId === lineId)?.title ?? lineId;
  return (
    <div style={{ marginTop: 8 }} data-testid="return-item">
      <Space size={4} wrap>
        <Tag color={item.kind === 'exchange' ? 'purple' : 'blue'}>{t(`aftersales.kind.${item.kind}`)}</Tag>
        <Tag data-testid="return-status">
          {t(`aftersales.status.${item.status}`, { defaultValue: item.status })}
        </Tag>
        {item.mode === 'cancel_refund' && <Tag>{t('aftersales.cancelRefund')}</Tag>}
      </Space>
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {item.lines.map((l) => `${title(l.lineId)} × ${l.quantity}`).join('，')} · {item.reason}
      </Typography.Text>
      {item.error && <Typography.Text type="warning">{t('aftersales.pendingShop')}</Typography.Text>}
      {ended ? null : (
        <Steps
          size="small"
          direction="vertical"
          current={current}
          style={{ marginTop: 4 }}
          items={steps.map((step) => ({
            title: <span style={{ fontSize: 12 }}>{t(`aftersales.status.${step}`)}</span>,
            description: reached.has(step) ? (
              <span style={{ fontSize: 11 }}>{dayjs(reached.get(step)).format('MM-DD HH:mm')}</span>
            ) : undefined,
          }))}
        />
      )}
    </div>
  );
}
