import { App, Button, Divider, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { formatPayoutAmount, useDecideApproval, usePriceProtection } from './usePayouts.ts';

/**
 * The ticket's price protection (价保) as the server calculated it: per line the paid and the lowest price and
 * what is payable, the payouts made, and a pending approval — with approve/reject for users who may decide
 * (approvals:decide from /auth/me). Nothing shows for a ticket without a calculation or payouts.
 */
export function PriceProtectionCard({ ticketId, canDecide }: { ticketId: string; canDecide: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const pp = usePriceProtection(ticketId);
  const decide = useDecideApproval();
  const data = pp.data;
  if (!data || (!data.calculation && data.payouts.length === 0)) return null;
  const calc = data.calculation;
  const points = t('aftersales.points');
  const onDecide = (decision: 'approve' | 'reject') =>
    decide.mutate(
      { id: data.pendingApproval!.id, decision },
      {
        onSuccess: () => void message.success(t(`aftersales.decided.${decision}`)),
        onError: (error) => void message.error(describeError(error, t)),
      },
    );
  return (
    <div data-testid="price-protection">
      <Divider style={{ margin: '8px 0' }} />
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong>{t('aftersales.priceProtection')}</Typography.Text>
        {calc && <Tag>{t(`aftersales.ppOutcome.${calc.outcome}`, { defaultValue: calc.outcome })}</Tag>}
      </Space>
      {calc?.lines.map((line) => (
        <Typography.Text key={line.lineId} type="secondary" style={{ display: 'block', fontSize: 12 }}>
          {line.title} × {line.quantity}:{' '}
          {formatPayoutAmount('refund', line.paidUnitPrice, calc.currency, points)} →{' '}
          {line.lowestPrice === null
            ? '—'
            : formatPayoutAmount('refund', line.lowestPrice, calc.currency, points)}{' '}
          · {t('aftersales.payable')} {formatPayoutAmount('refund', line.payable, calc.currency, points)}
        </Typography.Text>
      ))}
      {data.payouts.map((p) => (
        <Typography.Text key={p.id} style={{ display: 'block', fontSize: 12 }}>
          {t(`aftersales.payoutKind.${p.kind}`, { defaultValue: p.kind })}{' '}
          {formatPayoutAmount(p.kind, p.amount, p.currency, points)} ·{' '}
          {t(`aftersales.payoutStatus.${p.status}`, { defaultValue: p.status })}
          {p.couponCode && ` · ${p.couponCode}`}
        </Typography.Text>
      ))}
      {data.pendingApproval && (
        <Space style={{ marginTop: 4 }} wrap>
          <Tag color="gold">
            {t('aftersales.awaitingApproval', {
              amount: formatPayoutAmount(
                'refund',
                data.pendingApproval.amount,
                data.pendingApproval.currency,
                points,
              ),
            })}
          </Tag>
          {canDecide && (
            <>
              <Button
                size="small"
                type="primary"
                loading={decide.isPending}
                onClick={() => onDecide('approve')}
              >
                {t('aftersales.approve')}
              </Button>
              <Button size="small" loading={decide.isPending} onClick={() => onDecide('reject')}>
                {t('aftersales.reject')}
              </Button>
            </>
          )}
        </Space>
      )}
    </div>
  );
}
