import { useInfiniteQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import type { Me, Page } from '../../api/types.ts';
import { When } from './Dates.tsx';
import {
  ADMIN_KEY,
  hasPermission,
  mayManageRole,
  send,
  useAdminMutation,
  useAdminQuery,
  type SkillRow,
  type UserRow,
} from './useAdmin.ts';

export const ROLES = ['admin', 'supervisor', 'agent', 'outsourced_agent', 'collaborator'] as const;
const DEPARTMENTS = ['warehouse', 'logistics', 'purchasing'] as const;

interface Filters {
  role?: string;
  isActive?: string;
  q?: string;
}

/** Users: filter, page, create, edit (role, capacity, expiry, skill levels), deactivate and reactivate. */
export function UsersSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null);
  const mayWrite = hasPermission(me, 'users:write');
  const users = useInfiniteQuery({
    queryKey: [...ADMIN_KEY, 'users', filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<UserRow>>('/api/v1/users', { ...filters, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const toggle = useAdminMutation((user: UserRow) =>
    send<UserRow>('POST', `/api/v1/users/${user.id}/${user.isActive ? 'deactivate' : 'reactivate'}`),
  );
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="admin-users">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} id="admin-users">
          {t('admin.users.title')}
        </Typography.Title>
        {mayWrite && (
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('admin.users.create')}
          </Button>
        )}
      </Flex>
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          style={{ width: 260 }}
          placeholder={t('admin.users.search')}
          aria-label={t('admin.users.search')}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q || undefined }))}
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('admin.users.role')}
          aria-label={t('admin.users.role')}
          onChange={(role?: string) => setFilters((f) => ({ ...f, role }))}
          options={ROLES.map((value) => ({ value, label: t(`admin.roles.${value}`) }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('admin.users.state')}
          aria-label={t('admin.users.state')}
          onChange={(isActive?: string) => setFilters((f) => ({ ...f, isActive }))}
          options={[
            { value: 'true', label: t('admin.users.active') },
            { value: 'false', label: t('admin.users.inactive') },
          ]}
        />
      </Flex>
      {users.error && <Alert type="error" showIcon message={describeError(users.error, t)} />}
      <Table<UserRow>
        rowKey="id"
        size="small"
        loading={users.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1100 }}
        locale={{ emptyText: t('admin.empty') }}
        columns={[
          { title: t('admin.users.name'), dataIndex: 'name' },
          { title: t('admin.users.email'), dataIndex: 'email' },
          {
            title: t('admin.users.role'),
            dataIndex: 'role',
            render: (role: string) => t(`admin.roles.${role}`),
          },
          {
            title: t('admin.users.teams'),
            render: (_, user) => user.teams.map((team) => <Tag key={team.id}>{team.name}</Tag>),
          },
          {
            title: t('admin.users.skills'),
            render: (_, user) =>
              user.skills.map((skill) => (
                <Tag key={skill.id} color="geekblue">
                  {skill.code}:{skill.level}
                </Tag>
              )),
          },
          { title: t('admin.users.capacity'), dataIndex: 'capacity', width: 80 },
          {
            title: t('admin.users.expiresAt'),
            dataIndex: 'expiresAt',
            render: (value: string | null) => <When value={value} />,
          },
          {
            title: t('admin.users.state'),
            render: (_, user) =>
              user.isActive ? (
                <Tag color="green">{t('admin.users.active')}</Tag>
              ) : (
                <Tag>{t('admin.users.inactive')}</Tag>
              ),
          },
          {
            title: t('admin.actions'),
            // Kept in view when the table scrolls sideways (long English labels at 1280 px).
            fixed: 'right',
            render: (_, user) =>
              mayManageRole(me, user.role) && (
                <Flex gap={4}>
                  <Button size="small" onClick={() => setEditing(user)}>
                    {t('admin.edit')}
                  </Button>
                  <Popconfirm
                    title={
                      user.isActive ? t('admin.users.confirmDeactivate') : t('admin.users.confirmReactivate')
                    }
                    onConfirm={() =>
                      toggle.mutate(user, { onError: (error) => void message.error(describeError(error, t)) })
                    }
                  >
                    <Button size="small" danger={user.isActive}>
                      {user.isActive ? t('admin.users.deactivate') : t('admin.users.reactivate')}
                    </Button>
                  </Popconfirm>
                </Flex>
              ),
          },
        ]}
      />
      {users.hasNextPage && (
        <Button block onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
          {t('admin.loadMore')}
        </Button>
      )}
      {editing && (
        <UserForm me={me} user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </section>
  );
}

interface UserFormValues {
  name: string;
  email: string;
  role: string;
  department?: string;
  capacity?: number;
  expiresAt?: Dayjs | null;
  skills?: Array<{ skillId: string; level: number }>;
}

function UserForm({ me, user, onClose }: { me: Me; user: UserRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UserFormValues>();
  const skills = useAdminQuery<Page<SkillRow>>(['skills', 'all'], '/api/v1/skills', {
    limit: 200,
    isActive: 'true',
  });
  const save = useAdminMutation(async (values: UserFormValues) => {
    const expiresAt = values.expiresAt ? values.expiresAt.toISOString() : null;
    const common = {
      name: values.name,
      email: values.email,
      role: values.role,
      ...(values.capacity !== undefined ? { capacity: values.capacity } : {}),
    };
    const skillLevels = (values.skills ?? []).filter((s) => s.skillId);
    if (!user) {
      return send('POST', '/api/v1/users', {
        ...common,
        ...(values.department ? { department: values.department } : {}),
        ...(expiresAt ? { expiresAt } : {}),
        skills: skillLevels,
      });
    }
    await send('PATCH', `/api/v1/users/${user.id}`, {
      ...common,
      department: values.department ?? null,
      expiresAt,
    });
    return send('PUT', `/api/v1/users/${user.id}/skills`, skillLevels);
  });

  return (
    <Modal
      open
      title={user ? t('admin.users.edit', { name: user.name }) : t('admin.users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('admin.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {save.error && <Alert type="error" showIcon message={describeError(save.error, t)} />}
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        initialValues={
          user
            ? {
                ...user,
                department: user.department ?? undefined,
                expiresAt: user.expiresAt ? dayjs(user.expiresAt) : null,
                skills: user.skills.map((s) => ({ skillId: s.id, level: s.level })),
              }
            : { role: 'agent', capacity: 10 }
        }
        onFinish={(values) => save.mutate(values, { onSuccess: onClose })}
      >
        <Form.Item name="name" label={t('admin.users.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('admin.users.email')} rules={[{ required: true, type: 'email' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="role" label={t('admin.users.role')} rules={[{ required: true }]}>
          <Select
            options={ROLES.filter((role) => mayManageRole(me, role)).map((value) => ({
              value,
              label: t(`admin.roles.${value}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="department" label={t('admin.users.department')}>
          <Select allowClear options={DEPARTMENTS.map((value) => ({ value, label: value }))} />
        </Form.Item>
        <Form.Item name="capacity" label={t('admin.users.capacity')}>
          <InputNumber min={0} max={1000} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('admin.users.expiresAt')} extra={t('admin.users.expiresHint')}>
          <DatePicker showTime allowClear />
        </Form.Item>
        <Typography.Text strong>{t('admin.users.skills')}</Typography.Text>
        <Form.List name="skills">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="baseline">
                  <Form.Item name={[field.name, 'skillId']} rules={[{ required: true }]} style={{ flex: 1 }}>
                    <Select
                      aria-label={t('admin.users.skill')}
                      options={(skills.data?.items ?? []).map((s) => ({
                        value: s.id,
                        label: `${s.name} (${s.code})`,
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'level']} rules={[{ required: true }]} initialValue={3}>
                    <InputNumber min={1} max={5} aria-label={t('admin.users.level')} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)}>{t('admin.remove')}</Button>
                </Flex>
              ))}
              <Button onClick={() => add()} block>
                {t('admin.users.addSkill')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
