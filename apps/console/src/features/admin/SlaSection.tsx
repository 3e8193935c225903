import { Alert, Button, Flex, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { CalendarForm, type Calendar } from './CalendarForm.tsx';
import { PolicyForm, type Policy } from './PolicyForm.tsx';
import { send, useAdminMutation, useAdminQuery } from './useAdmin.ts';

/** SLA policies (targets per priority and tier, warning, escalation) and the business calendars they run on. */
export function SlaSection() {
  const { t } = useTranslation();
  const policies = useAdminQuery<{ items: Policy[] }>(['sla', 'policies'], '/api/v1/sla/policies');
  const calendars = useAdminQuery<{ items: Calendar[] }>(['sla', 'calendars'], '/api/v1/sla/calendars');
  const [policy, setPolicy] = useState<Policy | 'new' | null>(null);
  const [calendar, setCalendar] = useState<Calendar | 'new' | null>(null);
  const remove = useAdminMutation((path: string) => send('DELETE', path));
  const calendarName = new Map((calendars.data?.items ?? []).map((c) => [c.id, c.name]));
  const error = policies.error ?? calendars.error ?? remove.error;

  return (
    <section aria-labelledby="admin-sla">
      <Typography.Title level={3} id="admin-sla">
        {t('admin.sla.title')}
      </Typography.Title>
      {error && <Alert type="error" showIcon message={describeError(error, t)} />}
      <Flex justify="space-between" align="center">
        <Typography.Title level={4}>{t('admin.sla.policies')}</Typography.Title>
        <Button type="primary" onClick={() => setPolicy('new')}>
          {t('admin.sla.createPolicy')}
        </Button>
      </Flex>
      <Table<Policy>
        rowKey="id"
        size="small"
        loading={policies.isPending}
        pagination={false}
        scroll={{ x: 800 }}
        dataSource={policies.data?.items ?? []}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          {
            title: t('admin.sla.name'),
            render: (_, p) => (
              <span>
                {p.name} {p.isDefault && <Tag color="blue">{t('admin.sla.default')}</Tag>}
              </span>
            ),
          },
          {
            title: t('admin.sla.calendar'),
            render: (_, p) =>
              p.calendarId ? (calendarName.get(p.calendarId) ?? '…') : t('admin.sla.allHours'),
          },
          {
            title: t('admin.sla.targets'),
            render: (_, p) =>
              p.targets.map((target, i) => (
                <Tag key={i}>
                  {t(`priority.${target.priority}`)}
                  {target.minTier ? ` ≥T${target.minTier}` : ''}: {target.firstResponseMinutes}/
                  {target.nextResponseMinutes}/{target.resolutionMinutes} min
                </Tag>
              )),
          },
          { title: t('admin.sla.warning'), render: (_, p) => `${Math.round(p.warningRatio * 100)}%` },
          {
            title: t('admin.actions'),
            render: (_, p) => (
              <Flex gap={4}>
                <Button size="small" onClick={() => setPolicy(p)}>
                  {t('admin.edit')}
                </Button>
                <Popconfirm
                  title={t('admin.sla.confirmDelete')}
                  onConfirm={() => remove.mutate(`/api/v1/sla/policies/${p.id}`)}
                >
                  <Button size="small" danger>
                    {t('admin.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 24 }}>
        <Typography.Title level={4}>{t('admin.sla.calendars')}</Typography.Title>
        <Button type="primary" onClick={() => setCalendar('new')}>
          {t('admin.sla.createCalendar')}
        </Button>
      </Flex>
      <Table<Calendar>
        rowKey="id"
        size="small"
        loading={calendars.isPending}
        pagination={false}
        scroll={{ x: 700 }}
        dataSource={calendars.data?.items ?? []}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          { title: t('admin.sla.name'), dataIndex: 'name' },
          { title: t('admin.sla.timeZone'), dataIndex: 'timeZone' },
          {
            title: t('admin.sla.hours'),
            render: (_, c) =>
              c.hours === 'always' ? (
                <Tag color="red">{t('admin.sla.always')}</Tag>
              ) : (
                Object.entries(c.hours).map(([day, windows]) => (
                  <Tag key={day}>
                    {t(`admin.sla.weekdays.${day}`)} {windows.map((w) => `${w.start}-${w.end}`).join(', ')}
                  </Tag>
                ))
              ),
          },
          { title: t('admin.sla.holidays'), render: (_, c) => c.holidays.length },
          {
            title: t('admin.actions'),
            render: (_, c) => (
              <Flex gap={4}>
                <Button size="small" onClick={() => setCalendar(c)}>
                  {t('admin.edit')}
                </Button>
                <Popconfirm
                  title={t('admin.sla.confirmDelete')}
                  onConfirm={() => remove.mutate(`/api/v1/sla/calendars/${c.id}`)}
                >
                  <Button size="small" danger>
                    {t('admin.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      {policy && (
        <PolicyForm
          policy={policy === 'new' ? null : policy}
          calendars={calendars.data?.items ?? []}
          onClose={() => setPolicy(null)}
        />
      )}
      {calendar && (
        <CalendarForm calendar={calendar === 'new' ? null : calendar} onClose={() => setCalendar(null)} />
      )}
    </section>
  );
}
