import { Alert, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { PRIORITIES } from '../../api/types.ts';
import type { Calendar } from './CalendarForm.tsx';
import { send, useAdminMutation } from './useAdmin.ts';

interface Target {
  priority: string;
  minTier: number;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  resolutionMinutes: number;
}

export interface Policy {
  id: string;
  name: string;
  calendarId: string | null;
  warningRatio: number;
  targets: Target[];
  isDefault: boolean;
  escalation: Record<string, unknown> | null;
}

interface PolicyValues {
  name: string;
  calendarId?: string | null;
  warningPercent: number;
  isDefault: boolean;
  targets: Target[];
}

const MINUTES = { min: 1, max: 525_600 };

/** Targets in business minutes per priority and minimum customer tier; the calendar they count on. */
export function PolicyForm({
  policy,
  calendars,
  onClose,
}: {
  policy: Policy | null;
  calendars: Calendar[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PolicyValues>();
  const save = useAdminMutation((values: PolicyValues) => {
    const body = {
      name: values.name,
      calendarId: values.calendarId ?? null,
      warningRatio: values.warningPercent / 100,
      isDefault: values.isDefault,
      targets: values.targets,
    };
    return policy
      ? send('PATCH', `/api/v1/sla/policies/${policy.id}`, body)
      : send('POST', '/api/v1/sla/policies', body);
  });

  return (
    <Modal
      open
      width={760}
      title={policy ? policy.name : t('admin.sla.createPolicy')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} />}
      <Form<PolicyValues>
        form={form}
        layout="vertical"
        initialValues={{
          name: policy?.name ?? '',
          calendarId: policy?.calendarId ?? null,
          warningPercent: Math.round((policy?.warningRatio ?? 0.8) * 100),
          isDefault: policy?.isDefault ?? false,
          targets: policy?.targets ?? [
            {
              priority: 'normal',
              minTier: 0,
              firstResponseMinutes: 60,
              nextResponseMinutes: 120,
              resolutionMinutes: 1440,
            },
          ],
        }}
        onFinish={(values) => save.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item name="name" label={t('admin.sla.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="calendarId" label={t('admin.sla.calendar')} style={{ minWidth: 220 }}>
            <Select
              allowClear
              placeholder={t('admin.sla.allHours')}
              options={calendars.map((c) => ({ value: c.id, label: c.name }))}
            />
          </Form.Item>
          <Form.Item name="warningPercent" label={t('admin.sla.warning')}>
            <InputNumber min={1} max={99} suffix="%" />
          </Form.Item>
          <Form.Item name="isDefault" valuePropName="checked" label=" ">
            <Checkbox>{t('admin.sla.default')}</Checkbox>
          </Form.Item>
        </Flex>
        <Typography.Text strong>{t('admin.sla.targetsHint')}</Typography.Text>
        <Form.List name="targets">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} gap={6} align="baseline" wrap>
                  <Form.Item
                    name={[field.name, 'priority']}
                    rules={[{ required: true }]}
                    style={{ width: 110 }}
                  >
                    <Select
                      aria-label={t('admin.routing.priority')}
                      options={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`) }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'minTier']} rules={[{ required: true }]}>
                    <InputNumber
                      min={0}
                      max={10}
                      prefix="T≥"
                      aria-label={t('admin.sla.minTier')}
                      style={{ width: 90 }}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'firstResponseMinutes']} rules={[{ required: true }]}>
                    <InputNumber
                      {...MINUTES}
                      aria-label={t('admin.sla.firstResponse')}
                      placeholder={t('admin.sla.firstResponse')}
                      style={{ width: 110 }}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'nextResponseMinutes']} rules={[{ required: true }]}>
                    <InputNumber
                      {...MINUTES}
                      aria-label={t('admin.sla.nextResponse')}
                      placeholder={t('admin.sla.nextResponse')}
                      style={{ width: 110 }}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'resolutionMinutes']} rules={[{ required: true }]}>
                    <InputNumber
                      {...MINUTES}
                      aria-label={t('admin.sla.resolution')}
                      placeholder={t('admin.sla.resolution')}
                      style={{ width: 110 }}
                    />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)}>{t('admin.remove')}</Button>
                </Flex>
              ))}
              <Button
                block
                onClick={() =>
                  add({
                    priority: 'high',
                    minTier: 0,
                    firstResponseMinutes: 30,
                    nextResponseMinutes: 60,
                    resolutionMinutes: 480,
                  })
                }
              >
                {t('admin.sla.addTarget')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
