import {
  Alert,
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../api/errors.ts';
import { When } from './Dates.tsx';
import { send, useAdminMutation, useAdminQuery } from './useAdmin.ts';

interface Shop {
  id: string;
  kind: string;
  name: string;
  baseUrl: string;
  status: string;
  isDefault: boolean;
  hasWebhookSecret: boolean;
  webhookPath: string;
  lastTestedAt: string | null;
  lastTestError: string | null;
  version: number;
}

interface TestResult {
  ok: boolean;
  latencyMs: number;
  platform?: string;
  error?: { code: string; message: string };
}

interface ShopValues {
  kind: string;
  name: string;
  baseUrl: string;
  credentials: Array<{ key: string; value: string }>;
  webhookSecret?: string;
  isDefault: boolean;
}

/** Shop connections (/shops): credentials and webhook secrets are write-only; test asks the shop itself. */
export function ShopsSection() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const shops = useAdminQuery<{ items: Shop[] }>(['shops'], '/api/v1/shops');
  const [editing, setEditing] = useState<Shop | 'new' | null>(null);
  const test = useAdminMutation((shop: Shop) => send<TestResult>('POST', `/api/v1/shops/${shop.id}/test`));
  const patch = useAdminMutation((input: { shop: Shop; change: Record<string, unknown> }) =>
    send('PATCH', `/api/v1/shops/${input.shop.id}`, { version: input.shop.version, ...input.change }),
  );
  const remove = useAdminMutation((shop: Shop) => send('DELETE', `/api/v1/shops/${shop.id}`));
  const error = shops.error ?? patch.error ?? remove.error ?? test.error;

  return (
    <section aria-labelledby="admin-shops">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} id="admin-shops">
          {t('admin.shops.title')}
        </Typography.Title>
        <Button type="primary" onClick={() => setEditing('new')}>
          {t('admin.shops.create')}
        </Button>
      </Flex>
      {error && <Alert type="error" showIcon message={describeError(error, t)} />}
      <Table<Shop>
        rowKey="id"
        size="small"
        loading={shops.isPending}
        pagination={false}
        scroll={{ x: 900 }}
        dataSource={shops.data?.items ?? []}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          {
            title: t('admin.shops.name'),
            render: (_, shop) => (
              <span>
                {shop.name} {shop.isDefault && <Tag color="blue">{t('admin.sla.default')}</Tag>}
              </span>
            ),
          },
          { title: t('admin.shops.kind'), dataIndex: 'kind' },
          { title: 'URL', dataIndex: 'baseUrl' },
          {
            title: t('admin.shops.webhook'),
            render: (_, shop) => (
              <Typography.Text code copyable>
                {shop.webhookPath}
              </Typography.Text>
            ),
          },
          {
            title: t('admin.shops.lastTest'),
            render: (_, shop) =>
              shop.lastTestError ? (
                <Tag color="red">{shop.lastTestError}</Tag>
              ) : (
                <When value={shop.lastTestedAt} />
              ),
          },
          {
            title: t('admin.users.state'),
            render: (_, shop) =>
              shop.status === 'active' ? (
                <Tag color="green">{t('admin.users.active')}</Tag>
              ) : (
                <Tag>{t('admin.shops.disabled')}</Tag>
              ),
          },
          {
            title: t('admin.actions'),
            render: (_, shop) => (
              <Flex gap={4} wrap>
                <Button
                  size="small"
                  loading={test.isPending && test.variables?.id === shop.id}
                  onClick={() =>
                    test.mutate(shop, {
                      onSuccess: (result) =>
                        result.ok
                          ? void message.success(t('admin.shops.testOk', { ms: result.latencyMs }))
                          : void message.error(result.error?.message ?? t('admin.shops.testFailed')),
                    })
                  }
                >
                  {t('admin.shops.test')}
                </Button>
                <Button size="small" onClick={() => setEditing(shop)}>
                  {t('admin.edit')}
                </Button>
                <Button
                  size="small"
                  onClick={() =>
                    patch.mutate({
                      shop,
                      change: { status: shop.status === 'active' ? 'disabled' : 'active' },
                    })
                  }
                >
                  {shop.status === 'active' ? t('admin.shops.disable') : t('admin.shops.enable')}
                </Button>
                <Popconfirm title={t('admin.shops.confirmDelete')} onConfirm={() => remove.mutate(shop)}>
                  <Button size="small" danger>
                    {t('admin.delete')}
                  </Button>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      {editing && <ShopForm shop={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function ShopForm({ shop, onClose }: { shop: Shop | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ShopValues>();
  const save = useAdminMutation((values: ShopValues) => {
    const credentials = Object.fromEntries(
      values.credentials.filter((c) => c.key && c.value).map((c) => [c.key, c.value]),
    );
    const hasCredentials = Object.keys(credentials).length > 0;
    const common = {
      name: values.name,
      baseUrl: values.baseUrl,
      isDefault: values.isDefault,
      ...(values.webhookSecret ? { webhookSecret: values.webhookSecret } : {}),
    };
    return shop
      ? send('PATCH', `/api/v1/shops/${shop.id}`, {
          version: shop.version,
          ...common,
          ...(hasCredentials ? { credentials } : {}),
        })
      : send('POST', '/api/v1/shops', { kind: values.kind, credentials, ...common });
  });
  return (
    <Modal
      open
      title={shop ? shop.name : t('admin.shops.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} />}
      <Form<ShopValues>
        form={form}
        layout="vertical"
        initialValues={{
          kind: shop?.kind ?? 'demo-shop',
          name: shop?.name ?? '',
          baseUrl: shop?.baseUrl ?? 'http://127.0.0.1:4000',
          credentials: [{ key: 'apiKey', value: '' }],
          isDefault: shop?.isDefault ?? false,
        }}
        onFinish={(values) => save.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item name="kind" label={t('admin.shops.kind')} rules={[{ required: true }]}>
          <Input disabled={Boolean(shop)} />
        </Form.Item>
        <Form.Item name="name" label={t('admin.shops.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="baseUrl" label="URL" rules={[{ required: true, pattern: /^https?:\/\/\S+$/ }]}>
          <Input />
        </Form.Item>
        <Typography.Text type="secondary">{t('admin.shops.writeOnly')}</Typography.Text>
        <Form.List name="credentials">
          {(fields) =>
            fields.map((field) => (
              <Flex key={field.key} gap={8}>
                <Form.Item name={[field.name, 'key']} style={{ width: 140 }}>
                  <Input aria-label={t('admin.shops.credentialName')} />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'value']}
                  style={{ flex: 1 }}
                  rules={shop ? [] : [{ required: true }]}
                >
                  <Input.Password aria-label={t('admin.shops.credentialValue')} autoComplete="off" />
                </Form.Item>
              </Flex>
            ))
          }
        </Form.List>
        <Form.Item name="webhookSecret" label={t('admin.shops.webhookSecret')}>
          <Input.Password autoComplete="off" placeholder={shop?.hasWebhookSecret ? '••••••••' : undefined} />
        </Form.Item>
        <Form.Item name="isDefault" valuePropName="checked">
          <Checkbox>{t('admin.sla.default')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
