import { Alert, Button, Flex, Popconfirm, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { RoutingTest } from './RoutingTest.tsx';
import { RuleForm, type RoutingRule } from './RuleForm.tsx';
import { describeConditions } from './rule-values.ts';
import type { Page } from '../../api/types.ts';
import { send, useAdminMutation, useAdminQuery, type Named, type TeamRow } from './useAdmin.ts';

/** Routing rules in evaluation order: enable, reorder, edit conditions and actions; the test tool below. */
export function RoutingSection() {
  const { t } = useTranslation();
  const rules = useAdminQuery<{ items: RoutingRule[] }>(['routing'], '/api/v1/routing/rules');
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const patch = useAdminMutation((input: { rule: RoutingRule; change: Record<string, unknown> }) =>
    send('PATCH', `/api/v1/routing/rules/${input.rule.id}`, { version: input.rule.version, ...input.change }),
  );
  const remove = useAdminMutation((rule: RoutingRule) => send('DELETE', `/api/v1/routing/rules/${rule.id}`));
  const teams = useAdminQuery<Page<TeamRow>>(['teams'], '/api/v1/teams', { limit: 200 });
  const policies = useAdminQuery<{ items: Named[] }>(['sla', 'policies'], '/api/v1/sla/policies');
  const names = new Map(
    [...(teams.data?.items ?? []), ...(policies.data?.items ?? [])].map((n) => [n.id, n.name]),
  );
  const items = [...(rules.data?.items ?? [])].sort((a, b) => a.position - b.position);
  const error = rules.error ?? patch.error ?? remove.error;

  /** Swaps positions with the neighbour: two PATCHes, each with the version it read. */
  function move(index: number, by: -1 | 1) {
    const rule = items[index];
    const other = items[index + by];
    if (!rule || !other) return;
    patch.mutate(
      { rule, change: { position: other.position } },
      { onSuccess: () => patch.mutate({ rule: other, change: { position: rule.position } }) },
    );
  }

  return (
    <section aria-labelledby="admin-routing">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} id="admin-routing">
          {t('admin.routing.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('admin.routing.create')}
        </Button>
      </Flex>
      <Typography.Paragraph type="secondary">{t('admin.routing.help')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon message={describeError(error, t)} />}
      <Table<RoutingRule>
        rowKey="id"
        size="small"
        loading={rules.isPending}
        pagination={false}
        scroll={{ x: 900 }}
        dataSource={items}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          { title: '#', dataIndex: 'position', width: 60 },
          { title: t('admin.routing.name'), dataIndex: 'name' },
          {
            title: t('admin.routing.conditions'),
            render: (_, rule) => (
              <Typography.Text code>{describeConditions(rule.conditions)}</Typography.Text>
            ),
          },
          {
            title: t('admin.routing.actions'),
            render: (_, rule) =>
              Object.entries(rule.actions).map(([key, value]) => (
                <Tag key={key}>
                  {t(`admin.routing.actionNames.${key}`)}:{' '}
                  {Array.isArray(value) ? value.join(', ') : (names.get(String(value)) ?? String(value))}
                </Tag>
              )),
          },
          {
            title: t('admin.routing.enabled'),
            width: 90,
            render: (_, rule) => (
              <Switch
                size="small"
                checked={rule.enabled}
                aria-label={t('admin.routing.enabled')}
                onChange={(enabled) => patch.mutate({ rule, change: { enabled } })}
              />
            ),
          },
          {
            title: t('admin.routing.stop'),
            width: 80,
            render: (_, rule) =>
              rule.stopProcessing ? <Tag color="orange">{t('admin.routing.stopShort')}</Tag> : null,
          },
          {
            title: t('admin.actions'),
            render: (_, rule, index) => (
              <Flex gap={4}>
                <Button
                  size="small"
                  aria-label={t('admin.routing.up')}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </Button>
                <Button
                  size="small"
                  aria-label={t('admin.routing.down')}
                  disabled={index === items.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </Button>
                <Button size="small" onClick={() => setEditing(rule)}>
                  {t('admin.edit')}
                </Button>
                <Popconfirm title={t('admin.routing.confirmDelete')} onConfirm={() => remove.mutate(rule)}>
                  <Button size="small" danger>
                    {t('admin.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      {editing && <RuleForm rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <RoutingTest />
    </section>
  );
}
