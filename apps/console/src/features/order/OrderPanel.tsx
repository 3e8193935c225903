import {
  Alert,
  Button,
  Card,
  Collapse,
  Descriptions,
  Empty,
  List,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import {
  formatAge,
  formatMoney,
  useCustomerContext,
  useOrderPanel,
  type Order,
  type OrderPanelData,
  type TrackingEvent,
} from './useOrder.ts';

const TRACKING_SHOWN = 3;

const time = (at: string | undefined) => (at ? dayjs(at).format('MM-DD HH:mm') : '—');

/**
 * The ticket's order beside the conversation: number and status, lines, amounts, payments and refunds,
 * shipments with their tracking events, the shop's after-sales, and the customer's other tickets and orders.
 * Values are shown as the API returns them: buyer fields arrive masked for roles that must not see them.
 * `actions` (the after-sales actions) render inside the card, under the order.
 */
export function OrderPanel({
  ticketId,
  actions,
}: {
  ticketId: string;
  actions?: (order: Order) => ReactNode;
}) {
  const { t } = useTranslation();
  const panel = useOrderPanel(ticketId);
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      title={t('order.title')}
      extra={panel.data && <PanelBadge panel={panel.data} />}
      data-testid="order-panel"
    >
      {panel.isPending && <Spin />}
      {panel.isError && <Alert type="error" message={describeError(panel.error, t)} />}
      {panel.data && !panel.data.order && (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t(`order.state.${panel.data.state}`, { number: panel.data.orderNumber ?? '' })}
        />
      )}
      {panel.data?.order && <OrderBody order={panel.data.order} />}
      {panel.data?.order && actions?.(panel.data.order)}
      <CustomerContextSection ticketId={ticketId} />
    </Card>
  );
}

function PanelBadge({ panel }: { panel: OrderPanelData }) {
  const { t } = useTranslation();
  if (panel.state === 'stale' && panel.ageSeconds !== null) {
    const age = formatAge(panel.ageSeconds);
    return (
      <Tag color="warning" data-testid="order-stale" title={panel.failure?.message}>
        {t('order.stale', { age: t(`order.age.${age.unit}`, { count: age.count }) })}
      </Tag>
    );
  }
  return panel.connection ? (
    <Typography.Text type="secondary">{panel.connection.name}</Typography.Text>
  ) : null;
}

function OrderBody({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }}>
      <Space wrap size={4}>
        <Typography.Text strong copyable data-testid="order-number">
          {order.orderNumber}
        </Typography.Text>
        <Tag>{t(`order.status.${order.status}`, { defaultValue: order.rawStatus })}</Tag>
      </Space>
      <List
        size="small"
        dataSource={order.lines}
        data-testid="order-lines"
        renderItem={(line) => (
          <List.Item style={{ paddingInline: 0 }}>
            <Space direction="vertical" size={0} style={{ width: '100%' }}>
              <Typography.Text ellipsis={{ tooltip: line.title }}>{line.title}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[line.variant, `× ${line.quantity}`, formatMoney(line.paidUnitPrice)]
                  .filter(Boolean)
                  .join(' · ')}
                {line.refundedQuantity > 0 &&
                  ` · ${t('order.refundedUnits', { count: line.refundedQuantity })}`}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('order.total')}>{formatMoney(order.totals.total)}</Descriptions.Item>
        {order.totals.discount.amountMinor > 0 && (
          <Descriptions.Item label={t('order.discount')}>
            −{formatMoney(order.totals.discount)}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('order.paid')}>
          {formatMoney(order.totals.paid)} {order.paidAt && `(${time(order.paidAt)})`}
        </Descriptions.Item>
        {order.totals.refunded.amountMinor > 0 && (
          <Descriptions.Item label={t('order.refunded')}>
            {formatMoney(order.totals.refunded)}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Collapse
        size="small"
        ghost
        defaultActiveKey={['shipments']}
        items={[
          {
            key: 'payments',
            label: t('order.payments', { count: order.payments.length }),
            children: (
              <List
                size="small"
                dataSource={order.payments}
                renderItem={(p) => (
                  <List.Item style={{ paddingInline: 0, display: 'block' }}>
                    <div>
                      {p.method} · {formatMoney(p.amount)} ·{' '}
                      {t(`order.paymentStatus.${p.status}`, { defaultValue: p.status })}
                    </div>
                    {p.refunds.map((r) => (
                      <Typography.Text
                        key={r.externalId}
                        type="secondary"
                        style={{ display: 'block', fontSize: 12 }}
                      >
                        {t('order.refund')} {formatMoney(r.amount)} · {r.reason} · {time(r.createdAt)}
                      </Typography.Text>
                    ))}
                  </List.Item>
                )}
              />
            ),
          },
          {
            key: 'shipments',
            label: t('order.shipments', { count: order.shipments.length }),
            children: order.shipments.length ? (
              order.shipments.map((s) => (
                <div key={s.externalId} data-testid="order-shipment" style={{ marginBottom: 8 }}>
                  <Typography.Text strong>
                    {s.carrierName} {s.trackingNumber}
                  </Typography.Text>{' '}
                  <Tag>{t(`order.shipmentStatus.${s.status}`, { defaultValue: s.status })}</Tag>
                  <TrackingTimeline events={s.events} />
                </div>
              ))
            ) : (
              <Typography.Text type="secondary">{t('order.noShipments')}</Typography.Text>
            ),
          },
          ...(order.afterSales.length
            ? [
                {
                  key: 'aftersales',
                  label: t('order.afterSales', { count: order.afterSales.length }),
                  children: order.afterSales.map((a) => (
                    <div key={a.externalId} style={{ fontSize: 12 }}>
                      {a.externalId} · {t(`aftersales.kind.${a.kind}`, { defaultValue: a.kind })} ·{' '}
                      {t(`aftersales.status.${a.status}`, { defaultValue: a.status })}
                    </div>
                  )),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

/** Newest first; the newest few unless expanded, so a long trip does not push the rest of the panel away. */
function TrackingTimeline({ events }: { events: TrackingEvent[] }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const newest = [...events].reverse();
  const shown = expanded ? newest : newest.slice(0, TRACKING_SHOWN);
  return (
    <>
      <Timeline
        style={{ marginTop: 8, marginBottom: 0 }}
        items={shown.map((e) => ({
          children: (
            <Typography.Text style={{ fontSize: 12 }}>
              {time(e.occurredAt)} {e.description}
            </Typography.Text>
          ),
        }))}
      />
      {newest.length > TRACKING_SHOWN && (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setExpanded(!expanded)}>
          {expanded ? t('order.trackingLess') : t('order.trackingAll', { count: newest.length })}
        </Button>
      )}
    </>
  );
}

function CustomerContextSection({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const context = useCustomerContext(ticketId);
  if (!context.data) return null;
  const { tickets, orders } = context.data;
  return (
    <Collapse
      size="small"
      ghost
      items={[
        {
          key: 'context',
          label: t('order.customerContext', { tickets: tickets.length, orders: orders?.items.length ?? 0 }),
          children: (
            <Space direction="vertical" size={4} style={{ width: '100%' }} data-testid="customer-context">
              {tickets.map((other) => (
                <Typography.Text key={other.id} style={{ fontSize: 12 }} ellipsis>
                  <a href={`#/tickets/${other.id}`}>#{other.number}</a> {other.subject} ·{' '}
                  {t(`status.${other.status}`)}
                </Typography.Text>
              ))}
              {orders?.items.map((o) => (
                <Typography.Text key={o.externalId} type="secondary" style={{ fontSize: 12 }}>
                  {o.orderNumber} · {formatMoney(o.total)} · {time(o.createdAt)}
                </Typography.Text>
              ))}
              {orders?.stale && <Tag color="warning">{t('order.ordersStale')}</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}
