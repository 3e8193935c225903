import { Alert, Button, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import type { Me, Page } from '../../api/types.ts';
import { hasPermission, send, useAdminMutation, useAdminQuery, type SkillRow } from './useAdmin.ts';

const KINDS = ['category', 'language', 'vip', 'channel', 'other'] as const;
type Skill = SkillRow & { kind: string };
interface SkillValues {
  code: string;
  name: string;
  kind: string;
}

/** Skills (category, language …) that routing matches agents on; levels are set per user under Users. */
export function SkillsSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const mayWrite = hasPermission(me, 'skills:write');
  const skills = useAdminQuery<Page<Skill>>(['skills'], '/api/v1/skills', { limit: 200 });
  const [editing, setEditing] = useState<Skill | 'new' | null>(null);
  const toggle = useAdminMutation((skill: Skill) =>
    send('POST', `/api/v1/skills/${skill.id}/${skill.isActive ? 'deactivate' : 'reactivate'}`),
  );

  return (
    <section aria-labelledby="admin-skills">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} id="admin-skills">
          {t('admin.skills.title')}
        </Typography.Title>
        {mayWrite && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('admin.skills.create')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary">{t('admin.skills.help')}</Typography.Paragraph>
      {(skills.error ?? toggle.error) && (
        <Alert type="error" showIcon message={describeError(skills.error ?? toggle.error, t)} />
      )}
      <Table<Skill>
        rowKey="id"
        size="small"
        loading={skills.isPending}
        dataSource={skills.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          {
            title: t('admin.skills.code'),
            dataIndex: 'code',
            render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
          },
          { title: t('admin.skills.name'), dataIndex: 'name' },
          { title: t('admin.skills.kind'), dataIndex: 'kind' },
          {
            title: t('admin.users.state'),
            render: (_, s) =>
              s.isActive ? (
                <Tag color="green">{t('admin.users.active')}</Tag>
              ) : (
                <Tag>{t('admin.users.inactive')}</Tag>
              ),
          },
          {
            title: t('admin.actions'),
            render: (_, skill) =>
              mayWrite && (
                <Flex gap={4}>
                  <Button size="small" onClick={() => setEditing(skill)}>
                    {t('admin.edit')}
                  </Button>
                  <Button size="small" onClick={() => toggle.mutate(skill)}>
                    {skill.isActive ? t('admin.users.deactivate') : t('admin.users.reactivate')}
                  </Button>
                </Flex>
              ),
          },
        ]}
      />
      {editing && <SkillForm skill={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function SkillForm({ skill, onClose }: { skill: Skill | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<SkillValues>();
  const save = useAdminMutation((values: SkillValues) =>
    skill
      ? send('PATCH', `/api/v1/skills/${skill.id}`, { name: values.name, kind: values.kind })
      : send('POST', '/api/v1/skills', values),
  );
  return (
    <Modal
      open
      title={skill ? skill.name : t('admin.skills.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} />}
      <Form<SkillValues>
        form={form}
        layout="vertical"
        initialValues={skill ?? { kind: 'category' }}
        onFinish={(values) => save.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item
          name="code"
          label={t('admin.skills.code')}
          rules={[{ required: true, pattern: /^[a-z0-9_.:-]{1,64}$/ }]}
        >
          <Input disabled={Boolean(skill)} placeholder="refund, lang:en" />
        </Form.Item>
        <Form.Item name="name" label={t('admin.skills.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.skills.kind')}>
          <Select options={KINDS.map((value) => ({ value, label: value }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
