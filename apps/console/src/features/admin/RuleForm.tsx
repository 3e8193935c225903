import { Alert, Button, Checkbox, Flex, Form, Input, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import type { Page } from '../../api/types.ts';
import { PRIORITIES } from '../../api/types.ts';
import {
  CONDITION_FIELDS,
  CONDITION_OPS,
  toCondition,
  toConditionText,
  type Condition,
  type ConditionText,
} from './rule-values.ts';
import { send, useAdminMutation, useAdminQuery, type Named, type TeamRow } from './useAdmin.ts';

export interface RoutingRule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  stopProcessing: boolean;
  conditions: { all?: Condition[]; any?: Condition[] };
  actions: {
    teamId?: string;
    priority?: string;
    addTags?: string[];
    slaPolicyId?: string;
    assigneeId?: string;
  };
  version: number;
}

interface RuleValues {
  name: string;
  enabled: boolean;
  stopProcessing: boolean;
  all: ConditionText[];
  any: ConditionText[];
  teamId?: string;
  priority?: string;
  addTags?: string[];
  slaPolicyId?: string;
}

function ConditionList({ name }: { name: 'all' | 'any' }) {
  const { t } = useTranslation();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          <Typography.Text strong>{t(`admin.routing.${name}`)}</Typography.Text>
          {fields.map((field) => (
            <Flex key={field.key} gap={6} align="baseline" wrap>
              <Form.Item name={[field.name, 'field']} rules={[{ required: true }]} style={{ width: 150 }}>
                <Select
                  aria-label={t('admin.routing.field')}
                  showSearch
                  options={CONDITION_FIELDS.map((value) => ({ value, label: value }))}
                />
              </Form.Item>
              <Form.Item name={[field.name, 'op']} rules={[{ required: true }]} style={{ width: 110 }}>
                <Select
                  aria-label={t('admin.routing.op')}
                  options={CONDITION_OPS.map((value) => ({ value, label: value }))}
                />
              </Form.Item>
              <Form.Item
                name={[field.name, 'value']}
                rules={[{ required: true }]}
                style={{ flex: 1, minWidth: 140 }}
              >
                <Input aria-label={t('admin.routing.value')} placeholder={t('admin.routing.valueHint')} />
              </Form.Item>
              <Button onClick={() => remove(field.name)}>{t('admin.remove')}</Button>
            </Flex>
          ))}
          <Button
            block
            onClick={() => add({ field: 'category', op: 'eq', value: '' })}
            style={{ marginBottom: 12 }}
          >
            {t('admin.routing.addCondition')}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** One rule's name, conditions (all of / any of) and actions; PATCH carries the version read (412 if stale). */
export function RuleForm({ rule, onClose }: { rule: RoutingRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RuleValues>();
  const teams = useAdminQuery<Page<TeamRow>>(['teams'], '/api/v1/teams', { limit: 200 });
  const policies = useAdminQuery<{ items: Named[] }>(['sla', 'policies'], '/api/v1/sla/policies');
  const save = useAdminMutation((values: RuleValues) => {
    const actions = {
      ...(values.teamId ? { teamId: values.teamId } : {}),
      ...(values.priority ? { priority: values.priority } : {}),
      ...(values.addTags?.length ? { addTags: values.addTags } : {}),
      ...(values.slaPolicyId ? { slaPolicyId: values.slaPolicyId } : {}),
      ...(rule?.actions.assigneeId ? { assigneeId: rule.actions.assigneeId } : {}),
    };
    const conditions = {
      ...(values.all.length ? { all: values.all.map(toCondition) } : {}),
      ...(values.any.length ? { any: values.any.map(toCondition) } : {}),
    };
    const body = {
      name: values.name,
      enabled: values.enabled,
      stopProcessing: values.stopProcessing,
      conditions,
      actions,
    };
    return rule
      ? send('PATCH', `/api/v1/routing/rules/${rule.id}`, { version: rule.version, ...body })
      : send('POST', '/api/v1/routing/rules', body);
  });

  const initial: RuleValues = rule
    ? {
        name: rule.name,
        enabled: rule.enabled,
        stopProcessing: rule.stopProcessing,
        all: (rule.conditions.all ?? []).map(toConditionText),
        any: (rule.conditions.any ?? []).map(toConditionText),
        ...rule.actions,
      }
    : { name: '', enabled: true, stopProcessing: false, all: [], any: [] };

  return (
    <Modal
      open
      width={760}
      title={rule ? rule.name : t('admin.routing.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} />}
      <Form<RuleValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(values) => save.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item name="name" label={t('admin.routing.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="enabled" valuePropName="checked">
            <Checkbox>{t('admin.routing.enabled')}</Checkbox>
          </Form.Item>
          <Form.Item name="stopProcessing" valuePropName="checked">
            <Checkbox>{t('admin.routing.stop')}</Checkbox>
          </Form.Item>
        </Flex>
        <ConditionList name="all" />
        <ConditionList name="any" />
        <Typography.Text strong>{t('admin.routing.actions')}</Typography.Text>
        <Flex gap={8} wrap>
          <Form.Item name="teamId" label={t('admin.routing.team')} style={{ minWidth: 200 }}>
            <Select
              allowClear
              options={(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name }))}
            />
          </Form.Item>
          <Form.Item name="priority" label={t('admin.routing.priority')} style={{ minWidth: 140 }}>
            <Select
              allowClear
              options={PRIORITIES.map((value) => ({ value, label: t(`priority.${value}`) }))}
            />
          </Form.Item>
          <Form.Item name="slaPolicyId" label={t('admin.routing.slaPolicy')} style={{ minWidth: 200 }}>
            <Select
              allowClear
              options={(policies.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item name="addTags" label={t('admin.routing.tags')} style={{ minWidth: 200 }}>
            <Select mode="tags" />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
