import { Alert, Button, Card, Descriptions, Flex, Form, Input, InputNumber, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { PRIORITIES } from '../../api/types.ts';
import { When } from './Dates.tsx';
import type { Page } from '../../api/types.ts';
import { send, useAdminMutation, useAdminQuery, type Named, type TeamRow } from './useAdmin.ts';

interface TestResult {
  rules: Array<{
    ruleId: string;
    name: string;
    matched: boolean;
    skipped: string | null;
    conditions: Array<{ field: string; op: string; value: unknown; passed: boolean; reason: string }>;
  }>;
  decision: {
    teamId: string | null;
    priority: string;
    tags: string[];
    slaPolicyId: string | null;
    assigneeId: string | null;
    firstResponseDueAt: string | null;
    resolutionDueAt: string | null;
    nextDueAt: string | null;
  };
  evaluatedAt: string;
}

interface SampleValues {
  subject?: string;
  body?: string;
  category?: string;
  channel?: string;
  priority?: string;
  customerTier?: number;
  orderAmountYuan?: number;
  tags?: string[];
}

const CHANNELS = ['web', 'email', 'api', 'im', 'phone', 'platform'];

/** POST /routing/test: a sample ticket, which rules match and why, and the resulting decision and due times. */
export function RoutingTest() {
  const { t } = useTranslation();
  const run = useAdminMutation((values: SampleValues) => {
    const { orderAmountYuan, ...rest } = values;
    const sample = Object.fromEntries(
      Object.entries(rest).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)),
    );
    return send<TestResult>('POST', '/api/v1/routing/test', {
      ...sample,
      ...(orderAmountYuan !== undefined && orderAmountYuan !== null
        ? { orderAmount: Math.round(orderAmountYuan * 100) }
        : {}),
    });
  });
  const result = run.data;
  const teams = useAdminQuery<Page<TeamRow>>(['teams'], '/api/v1/teams', { limit: 200 });
  const policies = useAdminQuery<{ items: Named[] }>(['sla', 'policies'], '/api/v1/sla/policies');
  const nameOf = (items: Named[] | undefined, id: string | null) =>
    id ? (items?.find((item) => item.id === id)?.name ?? id) : '—';

  return (
    <Card
      title={t('admin.routing.test.title')}
      style={{ marginTop: 24 }}
      aria-label={t('admin.routing.test.title')}
    >
      <Form<SampleValues>
        layout="vertical"
        onFinish={(values) => run.mutate(values)}
        initialValues={{ channel: 'web' }}
      >
        <Flex gap={8} wrap>
          <Form.Item
            name="subject"
            label={t('admin.routing.test.subject')}
            style={{ flex: 1, minWidth: 220 }}
          >
            <Input />
          </Form.Item>
          <Form.Item name="category" label={t('admin.routing.test.category')} style={{ width: 160 }}>
            <Input placeholder="refund" />
          </Form.Item>
          <Form.Item name="channel" label={t('admin.routing.test.channel')} style={{ width: 120 }}>
            <Select options={CHANNELS.map((value) => ({ value, label: value }))} />
          </Form.Item>
          <Form.Item name="priority" label={t('admin.routing.priority')} style={{ width: 120 }}>
            <Select
              allowClear
              options={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`) }))}
            />
          </Form.Item>
          <Form.Item name="customerTier" label={t('admin.routing.test.tier')} style={{ width: 100 }}>
            <InputNumber min={0} max={10} />
          </Form.Item>
          <Form.Item name="orderAmountYuan" label={t('admin.routing.test.amount')} style={{ width: 140 }}>
            <InputNumber min={0} step={0.01} />
          </Form.Item>
          <Form.Item name="tags" label={t('admin.routing.tags')} style={{ minWidth: 160 }}>
            <Select mode="tags" />
          </Form.Item>
        </Flex>
        <Form.Item name="body" label={t('admin.routing.test.body')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={run.isPending}>
          {t('admin.routing.test.run')}
        </Button>
      </Form>
      {run.error && (
        <Alert type="error" showIcon message={describeError(run.error, t)} style={{ marginTop: 12 }} />
      )}
      {result && (
        <div aria-label={t('admin.routing.test.result')} style={{ marginTop: 16 }}>
          <Table
            rowKey="ruleId"
            size="small"
            pagination={false}
            dataSource={result.rules}
            expandable={{
              defaultExpandAllRows: true,
              expandedRowRender: (rule) => (
                <ul className="rule-reasons">
                  {rule.conditions.map((c, i) => (
                    <li key={i}>
                      <Tag color={c.passed ? 'green' : 'default'}>{c.passed ? '✓' : '✗'}</Tag>
                      {c.reason}
                    </li>
                  ))}
                </ul>
              ),
            }}
            columns={[
              { title: t('admin.routing.name'), dataIndex: 'name' },
              {
                title: t('admin.routing.test.outcome'),
                render: (_, rule) =>
                  rule.matched ? (
                    <Tag color="green">{t('admin.routing.test.matched')}</Tag>
                  ) : rule.skipped ? (
                    <Tag>{t('admin.routing.test.skipped', { reason: rule.skipped })}</Tag>
                  ) : (
                    <Tag color="default">{t('admin.routing.test.notMatched')}</Tag>
                  ),
              },
            ]}
          />
          <Descriptions
            size="small"
            bordered
            column={1}
            title={t('admin.routing.test.decision')}
            style={{ marginTop: 12 }}
          >
            <Descriptions.Item label={t('admin.routing.team')}>
              {nameOf(teams.data?.items, result.decision.teamId)}
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.routing.priority')}>
              {t(`priority.${result.decision.priority}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.routing.tags')}>
              {result.decision.tags.join(', ') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.routing.slaPolicy')}>
              {nameOf(policies.data?.items, result.decision.slaPolicyId)}
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.routing.test.firstResponse')}>
              <When value={result.decision.firstResponseDueAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.routing.test.resolution')}>
              <When value={result.decision.resolutionDueAt} />
            </Descriptions.Item>
          </Descriptions>
        </div>
      )}
    </Card>
  );
}
