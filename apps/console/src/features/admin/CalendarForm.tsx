import { Alert, Form, Input, Modal, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { hoursToText, textToHours, WEEKDAYS, type Hours } from './calendar-hours.ts';
import { send, useAdminMutation } from './useAdmin.ts';

export interface Calendar {
  id: string;
  name: string;
  timeZone: string;
  hours: Hours;
  holidays: string[];
}

interface CalendarValues {
  name: string;
  timeZone: string;
  always: boolean;
  days: Record<string, string>;
  holidays: string[];
}

const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'America/New_York',
  'UTC',
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Working hours per weekday, holidays, or 24/7 for a sale (`hours: "always"`). */
export function CalendarForm({ calendar, onClose }: { calendar: Calendar | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CalendarValues>();
  const always = Form.useWatch('always', form);
  const save = useAdminMutation((values: CalendarValues) => {
    const hours = values.always ? 'always' : textToHours(values.days);
    const body = {
      name: values.name,
      timeZone: values.timeZone,
      hours,
      holidays: values.holidays.filter((d) => DATE.test(d)),
    };
    return calendar
      ? send('PATCH', `/api/v1/sla/calendars/${calendar.id}`, body)
      : send('POST', '/api/v1/sla/calendars', body);
  });

  return (
    <Modal
      open
      title={calendar ? calendar.name : t('admin.sla.createCalendar')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} />}
      <Form<CalendarValues>
        form={form}
        layout="vertical"
        initialValues={{
          name: calendar?.name ?? '',
          timeZone: calendar?.timeZone ?? 'Asia/Shanghai',
          always: calendar?.hours === 'always',
          days: calendar
            ? hoursToText(calendar.hours)
            : {
                '1': '09:00-18:00',
                '2': '09:00-18:00',
                '3': '09:00-18:00',
                '4': '09:00-18:00',
                '5': '09:00-18:00',
              },
          holidays: calendar?.holidays ?? [],
        }}
        onFinish={(values) => save.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item name="name" label={t('admin.sla.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="timeZone" label={t('admin.sla.timeZone')} rules={[{ required: true }]}>
          <Select showSearch options={ZONES.map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Form.Item
          name="always"
          label={t('admin.sla.always')}
          valuePropName="checked"
          extra={t('admin.sla.alwaysHint')}
        >
          <Switch />
        </Form.Item>
        {!always && (
          <>
            <Typography.Text type="secondary">{t('admin.sla.hoursHint')}</Typography.Text>
            {WEEKDAYS.map((day) => (
              <Form.Item
                key={day}
                name={['days', day]}
                label={t(`admin.sla.weekdays.${day}`)}
                rules={[
                  {
                    validator: (_, value: string | undefined) =>
                      textToHours({ [day]: value })
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('admin.sla.badHours'))),
                  },
                ]}
              >
                <Input placeholder="09:00-18:00" />
              </Form.Item>
            ))}
          </>
        )}
        <Form.Item name="holidays" label={t('admin.sla.holidays')} extra={t('admin.sla.holidaysHint')}>
          <Select mode="tags" tokenSeparators={[',', ' ']} placeholder="2026-10-01" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
