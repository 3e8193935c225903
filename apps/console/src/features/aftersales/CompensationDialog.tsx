import { Alert, App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { compensationAmount, useGrantCompensation, type CompensationKind } from './usePayouts.ts';

/**
 * Grant a coupon, points or store credit to the ticket's customer. Within the user's caps it is paid at once;
 * above them the server files an approval request (the dialog says which). One idempotency key per opened
 * dialog, so a double click or a retry grants once.
 */
export function CompensationDialog(props: {
  ticketId: string;
  kinds: CompensationKind[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const grant = useGrantCompensation(props.ticketId);
  const [key] = useState(() => `console:${crypto.randomUUID()}`);
  const [kind, setKind] = useState<CompensationKind>(props.kinds[0]!);
  const [amount, setAmount] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const valid = amount !== null && amount > 0 && reason.trim().length > 0;

  const submit = () =>
    grant.mutate(
      { kind, amount: compensationAmount(kind, amount ?? 0), reason: reason.trim(), idempotencyKey: key },
      {
        onSuccess: (result) => {
          if (result.status === 'awaiting_approval') void message.info(t('aftersales.compensationAwaiting'));
          else if (result.status === 'failed') void message.error(t('aftersales.compensationFailed'));
          else void message.success(t('aftersales.compensationGranted'));
          props.onClose();
        },
      },
    );

  return (
    <Modal
      open
      title={t('aftersales.compensate')}
      okText={t('aftersales.submit')}
      okButtonProps={{ disabled: !valid, loading: grant.isPending }}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('aftersales.compensationKind')}>
          <Select<CompensationKind>
            aria-label={t('aftersales.compensationKind')}
            value={kind}
            onChange={setKind}
            options={props.kinds.map((value) => ({ value, label: t(`aftersales.payoutKind.${value}`) }))}
          />
        </Form.Item>
        <Form.Item label={t(kind === 'points' ? 'aftersales.pointsAmount' : 'aftersales.moneyAmount')}>
          <InputNumber
            aria-label={t(kind === 'points' ? 'aftersales.pointsAmount' : 'aftersales.moneyAmount')}
            min={kind === 'points' ? 1 : 0.01}
            step={kind === 'points' ? 10 : 1}
            precision={kind === 'points' ? 0 : 2}
            value={amount}
            onChange={setAmount}
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item label={t('aftersales.reasonLabel')}>
          <Input
            aria-label={t('aftersales.reasonLabel')}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Form.Item>
      </Form>
      {grant.isError && <Alert type="error" showIcon message={describeError(grant.error, t)} />}
    </Modal>
  );
}
