import { Button, Divider } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/useSession.ts';
import type { Order } from '../order/useOrder.ts';
import { CompensationDialog } from './CompensationDialog.tsx';
import { PriceProtectionCard } from './PriceProtectionCard.tsx';
import { ReturnsPanel } from './ReturnsPanel.tsx';
import type { CompensationKind } from './usePayouts.ts';
import { useReturns } from './useReturns.ts';

/**
 * The after-sales actions under the order: returns and exchanges, price protection, compensation. Each
 * button shows only where the user's permissions (/auth/me) and the shop's capabilities allow it.
 */
export function AfterSalesPanel({ ticketId, order }: { ticketId: string; order: Order }) {
  const { t } = useTranslation();
  const permissions = new Set(useMe().data?.permissions ?? []);
  const allowed = useReturns(ticketId).data?.allowed;
  const [compensating, setCompensating] = useState(false);
  const kinds: CompensationKind[] = [
    ...(allowed?.coupon ? (['coupon'] as const) : []),
    ...(allowed?.points ? (['points'] as const) : []),
    ...(allowed?.storeCredit ? (['store_credit'] as const) : []),
  ];
  const mayCompensate = permissions.has('compensation:grant') && kinds.length > 0;
  return (
    <>
      <ReturnsPanel ticketId={ticketId} order={order} />
      <PriceProtectionCard ticketId={ticketId} canDecide={permissions.has('approvals:decide')} />
      {mayCompensate && (
        <>
          <Divider style={{ margin: '8px 0' }} />
          <Button size="small" block onClick={() => setCompensating(true)} data-testid="compensate">
            {t('aftersales.compensate')}
          </Button>
        </>
      )}
      {compensating && (
        <CompensationDialog ticketId={ticketId} kinds={kinds} onClose={() => setCompensating(false)} />
      )}
    </>
  );
}
