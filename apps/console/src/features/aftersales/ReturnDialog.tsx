import { Alert, App, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { formatMoney, type Order } from '../order/useOrder.ts';
import { heldUnits, useOpenReturn, type TicketReturn } from './useReturns.ts';

const REASONS = ['quality', 'size', 'wrong_item', 'damaged', 'changed_mind'] as const;

/**
 * Open a return or an exchange: a quantity per order line (0 leaves the line out, at most the units the buyer
 * still holds) and a reason. The server is idempotent by ticket, kind and lines, so a double click opens one.
 */
export function ReturnDialog(props: {
  ticketId: string;
  kind: 'return' | 'exchange';
  order: Order;
  returns: TicketReturn[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const open = useOpenReturn(props.ticketId);
  const held = heldUnits(props.order.lines, props.returns);
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const [reason, setReason] = useState<string>(REASONS[0]);
  const [note, setNote] = useState('');
  const lines = Object.entries(quantities)
    .filter(([, quantity]) => quantity > 0)
    .map(([lineId, quantity]) => ({ lineId, quantity }));

  const submit = () =>
    open.mutate(
      {
        kind: props.kind,
        lines,
        reason: t(`aftersales.reason.${reason}`),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      {
        onSuccess: () => {
          void message.success(t('aftersales.opened'));
          props.onClose();
        },
      },
    );

  return (
    <Modal
      open
      title={t(props.kind === 'exchange' ? 'aftersales.openExchange' : 'aftersales.openReturn')}
      okText={t('aftersales.submit')}
      okButtonProps={{
        disabled: lines.length === 0,
        loading: open.isPending,
        'data-testid': 'return-submit',
      }}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('aftersales.lines')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            {props.order.lines.map((line) => {
              const max = held.get(line.externalId) ?? 0;
              return (
                <Space key={line.externalId} style={{ width: '100%', justifyContent: 'space-between' }}>
                  <Typography.Text ellipsis style={{ maxWidth: 280 }}>
                    {line.title} {line.variant && `(${line.variant})`} · {formatMoney(line.paidUnitPrice)}
                  </Typography.Text>
                  <InputNumber
                    aria-label={t('aftersales.quantityOf', { title: line.title })}
                    data-testid={`return-qty-${line.externalId}`}
                    min={0}
                    max={max}
                    disabled={max === 0}
                    value={quantities[line.externalId] ?? 0}
                    onChange={(value) => setQuantities((q) => ({ ...q, [line.externalId]: value ?? 0 }))}
                    addonAfter={`/ ${max}`}
                    style={{ width: 110 }}
                  />
                </Space>
              );
            })}
          </Space>
        </Form.Item>
        <Form.Item label={t('aftersales.reasonLabel')}>
          <Select
            aria-label={t('aftersales.reasonLabel')}
            value={reason}
            onChange={setReason}
            options={REASONS.map((value) => ({ value, label: t(`aftersales.reason.${value}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('aftersales.note')}>
          <Input.TextArea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
        </Form.Item>
      </Form>
      {open.isError && <Alert type="error" showIcon message={describeError(open.error, t)} />}
    </Modal>
  );
}
