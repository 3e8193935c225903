import {
  Alert,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { When } from './Dates.tsx';
import { send, useAdminMutation, useAdminQuery } from './useAdmin.ts';

interface TokenRow {
  id: string;
  name: string;
  role: string;
  department: string | null;
  userId: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
interface TokenValues {
  name: string;
  role: string;
  expiresAt?: Dayjs | null;
}

const TOKEN_ROLES = ['integration', 'agent', 'supervisor', 'admin'] as const;

/** API tokens: the secret is shown once, right after creation; revoking ends it at once on every node. */
export function TokensSection() {
  const { t } = useTranslation();
  const tokens = useAdminQuery<{ items: TokenRow[] }>(['tokens'], '/api/v1/tokens');
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const revoke = useAdminMutation((id: string) => send('DELETE', `/api/v1/tokens/${id}`));

  return (
    <section aria-labelledby="admin-tokens">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} id="admin-tokens">
          {t('admin.tokens.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('admin.tokens.create')}
        </Button>
      </Flex>
      {(tokens.error ?? revoke.error) && (
        <Alert type="error" showIcon message={describeError(tokens.error ?? revoke.error, t)} />
      )}
      {secret && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setSecret(null)}
          message={t('admin.tokens.once')}
          description={
            <Typography.Text code copyable aria-label={t('admin.tokens.secret')}>
              {secret}
            </Typography.Text>
          }
          style={{ marginBottom: 12 }}
        />
      )}
      <Table<TokenRow>
        rowKey="id"
        size="small"
        loading={tokens.isPending}
        pagination={false}
        scroll={{ x: 800 }}
        dataSource={tokens.data?.items ?? []}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          { title: t('admin.tokens.name'), dataIndex: 'name' },
          { title: t('admin.users.role'), dataIndex: 'role' },
          {
            title: t('admin.tokens.created'),
            dataIndex: 'createdAt',
            render: (v: string) => <When value={v} />,
          },
          {
            title: t('admin.tokens.lastUsed'),
            dataIndex: 'lastUsedAt',
            render: (v: string | null) => <When value={v} />,
          },
          {
            title: t('admin.users.expiresAt'),
            dataIndex: 'expiresAt',
            render: (v: string | null) => <When value={v} />,
          },
          {
            title: t('admin.users.state'),
            render: (_, token) =>
              token.revokedAt ? (
                <Tag>{t('admin.tokens.revoked')}</Tag>
              ) : (
                <Tag color="green">{t('admin.users.active')}</Tag>
              ),
          },
          {
            title: t('admin.actions'),
            render: (_, token) =>
              !token.revokedAt && (
                <Popconfirm title={t('admin.tokens.confirmRevoke')} onConfirm={() => revoke.mutate(token.id)}>
                  <Button size="small" danger>
                    {t('admin.tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      {creating && (
        <CreateToken
          onClose={(created) => {
            setCreating(false);
            if (created) setSecret(created);
          }}
        />
      )}
    </section>
  );
}

function CreateToken({ onClose }: { onClose: (secret?: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TokenValues>();
  const create = useAdminMutation((values: TokenValues) =>
    send<{ token: string }>('POST', '/api/v1/tokens', {
      name: values.name,
      role: values.role,
      ...(values.expiresAt ? { expiresAt: values.expiresAt.toISOString() } : {}),
    }),
  );
  return (
    <Modal
      open
      title={t('admin.tokens.create')}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {create.error && <Alert type="error" showIcon message={describeError(create.error, t)} />}
      <Form<TokenValues>
        form={form}
        layout="vertical"
        initialValues={{ role: 'integration' }}
        onFinish={(values) => create.mutate(values, { onSuccess: (result) => onClose(result.token) })}
      >
        <Form.Item name="name" label={t('admin.tokens.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('admin.users.role')}>
          <Select options={TOKEN_ROLES.map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('admin.users.expiresAt')}>
          <DatePicker showTime allowClear />
        </Form.Item>
      </Form>
    </Modal>
  );
}
